import { RendezvousError, type ClientMessageOf, type RoomMode, type ServerMessage } from '@rendezvous/protocol';
import type { JsonValue } from './data/index.js';
import { DEFAULT_MAX_ROOM_EVENT_BYTES, type RoomInit, type RoomOptions } from './room-options.js';
import { SignalingClient } from './signaling-client.js';

/** What `joinRoom` makes the room with, and hands the messages that came right after `joined`. */
interface JoinedRoomLike {
  _deliver(messages: readonly ServerMessage[]): void;
}

/**
 * The `join` for room `name`: the media state to start with, and the mode and capacity to create it with should it not
 * exist (a rejoin passes the room's own mode, so a room made again after everyone left is what it was).
 */
export function joinRequest(name: string, options: Pick<RoomOptions, 'media' | 'mode' | 'capacity'>): ClientMessageOf<'join'> {
  const media = options.media ?? null;
  const mode: RoomMode | undefined = options.mode;
  return {
    type: 'join',
    room: name,
    ...(media === null ? {} : { media: media.state }),
    ...(mode === undefined ? {} : { mode }),
    ...(options.capacity === undefined ? {} : { capacity: options.capacity }),
  };
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
    const joined = await signaling.request(joinRequest(name, options), 'joined');
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

/**
 * What leaving says to the server: a room with its own signaling says `leave` and closes it (the server drops the
 * session at once); a room on a shared one asks to leave and waits for `left` (up to 3 s).
 */
export async function leaveRoom(signaling: SignalingClient, ownsSignaling: boolean): Promise<void> {
  if (ownsSignaling) {
    if (signaling.state === 'open') {
      try {
        signaling.send({ type: 'leave' });
      } catch {
        // closing anyway
      }
    }
    signaling.close();
  } else if (signaling.state === 'open' || signaling.state === 'reconnecting') {
    await signaling.request({ type: 'leave' }, 'left', 3000).catch(() => undefined);
  }
}

/** A `room-event` message, or DATA_TOO_LARGE when `data` passes the server's announced limit (4096 bytes by default). */
export function roomEventMessage(
  signaling: SignalingClient,
  event: string,
  data: JsonValue | undefined,
): ClientMessageOf<'room-event'> {
  const limit = signaling.config.maxRoomEventBytes ?? DEFAULT_MAX_ROOM_EVENT_BYTES;
  const size = data === undefined ? 0 : new TextEncoder().encode(JSON.stringify(data)).length;
  if (size > limit) {
    throw new RendezvousError('DATA_TOO_LARGE', `Room event data is ${size} bytes; the limit is ${limit}`, {
      detail: { what: 'room-event', size, limit },
    });
  }
  return { type: 'room-event', event, ...(data === undefined ? {} : { data }) };
}
