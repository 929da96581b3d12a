import type { ServerMessage } from '@rendezvous/protocol';
import { fail, type SignalingContext } from './context.js';
import { newId, newResumeToken } from './ids.js';
import { endSession } from './lifecycle.js';
import { createRoom, enterRoom } from './membership.js';
import { Session } from './session.js';
import type { SfuRoomPort } from './sfu-port.js';

/** A member the server itself adds to a room (a WHIP publisher): no socket, no resume, no expiry. */
export interface ExternalMemberInit {
  /** The room, created in `sfu` mode when absent. */
  room: string;
  displayName: string;
  /** The client address it acts for (its SFU connections count against that address). */
  address: string;
  /** Hears what the server would send the member (`sfu-closed` when the SFU drops its media); nothing else is sent. */
  onMessage?: (message: ServerMessage) => void;
}

export interface ExternalMember {
  readonly peerId: string;
  readonly room: string;
  /** The address given at join. */
  readonly address: string;
  /** The room's media: publish with the member's peer id. */
  readonly sfu: SfuRoomPort;
  /** It left (leave(), or the server shut down). */
  readonly ended: boolean;
  /** Leaves the room: the others get `peer-left` ('left'), its media closes. Idempotent. */
  leave(): void;
}

/** A session without a socket: what the server sends it goes to its listener, or nowhere; relayed messages are dropped. */
class ExternalSession extends Session {
  readonly #listener: ((message: ServerMessage) => void) | undefined;

  constructor(ctx: SignalingContext, init: ExternalMemberInit) {
    super({
      peerId: newId(),
      displayName: init.displayName,
      userId: undefined,
      resumeToken: newResumeToken(),
      address: init.address,
      deps: ctx.sessionDeps,
    });
    this.#listener = init.onMessage;
  }

  override send(message: ServerMessage): void {
    if (!this.ended) {
      this.#listener?.(message);
    }
  }

  override relay(): null {
    return null;
  }
}

/** Whether `session` is a server-side member (it never has a socket, so it is not detached either). */
export function isExternal(session: Session): boolean {
  return session instanceof ExternalSession;
}

/**
 * Adds a server-side member to room `init.room` in `sfu` mode (creating the room), as a join would: the others get
 * `peer-joined`. It is no client's session: it holds no socket, is never resumed, never expires and counts against no
 * address's sessions; it ends with leave() or the server. Throws SFU_UNAVAILABLE (no SFU, or a mesh room of that
 * name), ROOM_FULL or ROOM_LIMIT.
 */
export function joinExternal(ctx: SignalingContext, init: ExternalMemberInit): ExternalMember {
  if (ctx.closing || ctx.hooks.sfu === undefined) {
    throw fail('SFU_UNAVAILABLE', undefined, 'the server runs no SFU');
  }
  const existing = ctx.rooms.get(init.room);
  if (existing !== undefined && existing.sfu === null) {
    throw fail('SFU_UNAVAILABLE', undefined, `room ${init.room} is a mesh`);
  }
  if (existing?.isFull === true) {
    throw fail('ROOM_FULL', undefined, `${existing.size} of ${existing.capacity}`);
  }
  if (existing === undefined && ctx.rooms.publicSize >= ctx.limits.maxRooms) {
    throw fail('ROOM_LIMIT', undefined);
  }
  const room = existing ?? createRoom(ctx, { type: 'join', room: init.room, mode: 'sfu' });
  const sfu = room.sfu;
  if (sfu === null) {
    ctx.rooms.removeIfEmpty(room);
    throw fail('SFU_UNAVAILABLE', undefined, `room ${init.room} is a mesh`);
  }
  const session = new ExternalSession(ctx, init);
  ctx.sessions.set(session.peerId, session);
  enterRoom(ctx, session, room);
  return {
    peerId: session.peerId,
    room: room.name,
    address: init.address,
    sfu,
    get ended() {
      return session.ended;
    },
    leave: () => endSession(ctx, session, 'left'),
  };
}
