import type { ServerMessage } from '@rendezvous/protocol';
import type { RoomInit, RoomOptions } from './room-options.js';
import { SignalingClient } from './signaling-client.js';

/** What `joinRoom` makes the room with, and hands the messages that came right after `joined`. */
interface JoinedRoomLike {
  _deliver(messages: readonly ServerMessage[]): void;
}

/**
 * `Room.join`: connects (unless a SignalingClient is given), joins `name`, and builds the room with `create`,
 * delivering the messages that arrived meanwhile. A failure closes its own signaling and stops `options.media`.
 */
export async function joinRoom<R extends JoinedRoomLike>(
  url: string,
  name: string,
  options: RoomOptions,
  create: (init: RoomInit) => R,
): Promise<R> {
  const owns = options.signaling === undefined;
  let signaling: SignalingClient | null = options.signaling ?? null;
  let stopBuffering = (): void => undefined;
  try {
    signaling ??= await SignalingClient.connect(url, {
      displayName: options.displayName,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.WebSocketImpl === undefined ? {} : { WebSocketImpl: options.WebSocketImpl }),
    });
    const seen: ServerMessage[] = [];
    stopBuffering = signaling.on('message', (message) => seen.push(message));
    const media = options.media ?? null;
    const joined = await signaling.request(
      {
        type: 'join',
        room: name,
        ...(media === null ? {} : { media: media.state }),
        ...(options.mode === undefined ? {} : { mode: options.mode }),
        ...(options.capacity === undefined ? {} : { capacity: options.capacity }),
      },
      'joined',
    );
    stopBuffering();
    const room = create({ signaling, joined, ownsSignaling: owns, rejoinOnReset: true, options });
    room._deliver(seen.slice(seen.indexOf(joined) + 1));
    return room;
  } catch (error) {
    stopBuffering();
    if (owns) {
      signaling?.close();
    }
    options.media?.stop();
    throw error;
  }
}
