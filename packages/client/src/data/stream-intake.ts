/**
 * A channel the remote side opened for a stream, until its meta frame arrives: then it becomes an
 * IncomingStream. A first frame that is not a valid meta is reported and the channel closed.
 */
import type { RendezvousError } from '@rendezvous/protocol';
import { listen, trySend, type DataChannelLike } from './channel-port.js';
import { IncomingStream } from './incoming-stream.js';
import { decodeMeta, encodeAbort } from './stream-framing.js';

export interface IntakeHooks {
  /** The meta arrived: the stream is ready to announce (`topic` non-null for an internal stream). */
  onStream(stream: IncomingStream, topic: string | null): void;
  /** The intake or the stream it became is over; `protocolError` when the peer broke the framing. */
  onDone(protocolError: RendezvousError | null): void;
}

/** Something the peer entry can end when the connection goes away. */
export interface StreamHandle {
  shutdown(): void;
}

/** Watches `channel` for its meta frame. The returned handle ends whichever stage the stream is in. */
export function takeIncomingStream(from: string, channel: DataChannelLike, hooks: IntakeHooks): StreamHandle {
  channel.binaryType = 'arraybuffer';
  let stream: IncomingStream | null = null;
  let done = false;
  const finish = (protocolError: RendezvousError | null): void => {
    if (done) {
      return;
    }
    done = true;
    for (const off of offs.splice(0)) {
      off();
    }
    channel.close();
    hooks.onDone(protocolError);
  };
  const offs = [
    listen(channel, 'close', () => finish(null)),
    listen(channel, 'message', (event) => {
      const result = decodeMeta(from, event.data);
      if (!result.ok) {
        trySend(channel, encodeAbort('protocol'));
        return finish(result.error);
      }
      for (const off of offs.splice(0)) {
        off();
      }
      stream = new IncomingStream(from, channel, result.meta, (error) => {
        done = true;
        hooks.onDone(error);
      });
      hooks.onStream(stream, result.topic);
    }),
  ];
  if (channel.readyState === 'closing' || channel.readyState === 'closed') {
    finish(null);
  }
  return {
    shutdown: () => {
      if (stream !== null) {
        stream.shutdown();
      } else {
        finish(null);
      }
    },
  };
}
