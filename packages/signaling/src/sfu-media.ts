import { RendezvousError, type ClientMessageOf } from '@rendezvous/protocol';
import { fail, type SignalingContext } from './context.js';
import type { Room } from './rooms.js';
import type { Session } from './session.js';
import type { SfuRoomEvents, SfuRoomPort } from './sfu-port.js';

type SfuMessage = ClientMessageOf<'sfu-publish' | 'sfu-unpublish' | 'sfu-subscribe' | 'sfu-unsubscribe' | 'sfu-candidate'>;

/** The sender's room and its SFU side, or SFU_UNAVAILABLE / NOT_IN_ROOM. */
function sfuRoomOf(session: Session, requestId: string | undefined): { room: Room; sfu: SfuRoomPort } {
  const room = session.room;
  if (room === null) {
    throw fail('NOT_IN_ROOM', requestId);
  }
  if (room.sfu === null) {
    throw fail('SFU_UNAVAILABLE', requestId, 'this room is a mesh');
  }
  return { room, sfu: room.sfu };
}

/** An SFU refusal, answered with the request's id. */
function withRequestId(error: unknown, requestId: string | undefined): unknown {
  return error instanceof RendezvousError && requestId !== undefined && error.requestId === undefined
    ? fail(error.code, requestId, error.message, error.detail)
    : error;
}

/** `sfu-publish` and the rest: answers come from the SFU; only members of an `sfu` room may ask. */
export async function handleSfuMessage(ctx: SignalingContext, session: Session, msg: SfuMessage): Promise<void> {
  const { room, sfu } = sfuRoomOf(session, msg.requestId);
  const address = session.connection?.address ?? session.address;
  const requestId = msg.requestId === undefined ? {} : { requestId: msg.requestId };
  try {
    switch (msg.type) {
      case 'sfu-publish': {
        const sdp = await sfu.publish(session.peerId, address, msg.source, msg.sdp);
        if (session.room === room) {
          session.send({ type: 'sfu-published', source: msg.source, sdp, ...requestId });
        }
        return;
      }
      case 'sfu-subscribe': {
        const target = ctx.sessions.get(msg.peerId);
        if (target === undefined || target === session || target.room !== room) {
          throw fail('PEER_NOT_IN_ROOM', msg.requestId);
        }
        const sdp = await sfu.subscribe(session.peerId, address, msg.peerId, msg.group, msg.sdp);
        if (session.room === room) {
          session.send({ type: 'sfu-subscribed', peerId: msg.peerId, group: msg.group, sdp, ...requestId });
        }
        return;
      }
      case 'sfu-unpublish':
        if (!sfu.unpublish(session.peerId, msg.source)) {
          throw fail('SFU_NOT_PUBLISHED', msg.requestId);
        }
        return;
      case 'sfu-unsubscribe':
        sfu.unsubscribe(session.peerId, msg.peerId, msg.group);
        return;
      case 'sfu-candidate':
        addCandidate(sfu, session.peerId, msg);
        return;
    }
  } catch (error) {
    throw withRequestId(error, msg.requestId);
  }
}

/** Passes a client's ICE candidate to the connection it names; an empty one (end of candidates) needs nothing. */
function addCandidate(sfu: SfuRoomPort, peerId: string, msg: ClientMessageOf<'sfu-candidate'>): void {
  const { candidate, sdpMid } = msg.candidate;
  if (candidate === '' || sdpMid === undefined || sdpMid === null) {
    return;
  }
  if (msg.source !== undefined) {
    sfu.addCandidate(peerId, { source: msg.source }, candidate, sdpMid);
  } else if (msg.peerId !== undefined && msg.group !== undefined) {
    sfu.addCandidate(peerId, { publisherId: msg.peerId, group: msg.group }, candidate, sdpMid);
  } else {
    throw fail('BAD_MESSAGE', undefined, 'sfu-candidate names a source, or a peerId and a group');
  }
}

/** The SFU's events for `room`, told to its members. */
export function sfuRoomEvents(ctx: SignalingContext, room: () => Room | undefined): SfuRoomEvents {
  return {
    sourcesChanged(peerId, sources) {
      const current = room();
      for (const member of current?.others(peerId) ?? []) {
        member.send({ type: 'sfu-sources', peerId, sources });
      }
    },
    failed(peerId, what) {
      const session = ctx.sessions.get(peerId);
      if (session === undefined || session.room !== room()) {
        return;
      }
      session.send(
        'source' in what
          ? { type: 'sfu-closed', source: what.source, reason: 'failed' }
          : { type: 'sfu-closed', peerId: what.publisherId, group: what.group, reason: 'failed' },
      );
    },
  };
}

/** After `joined`: what each member of an `sfu` room publishes now. */
export function sendSources(room: Room, session: Session): void {
  const sfu = room.sfu;
  if (sfu === null) {
    return;
  }
  for (const peerId of sfu.publishers()) {
    if (peerId !== session.peerId) {
      session.send({ type: 'sfu-sources', peerId, sources: sfu.sources(peerId) });
    }
  }
}
