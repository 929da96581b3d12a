import type { ServerMessage } from '@rendezvous/protocol';
import type { QueueRefusal } from './memory-budget.js';
import type { Room } from './rooms.js';
import type { Session } from './session.js';

export interface BroadcastOptions {
  /**
   * The message is relayed from this member (see Session.relay): a detached recipient's queue charges it to
   * the sender and may refuse it. Without it the message is a server event (Session.send).
   */
  relayedFrom?: Session;
}

/** A member whose detached queue refused a relayed message. */
export interface Refused {
  to: Session;
  refusal: QueueRefusal;
}

/**
 * Sends `message` to every member of `room` except `except`, in join order. `message` may be a function of
 * the recipient (messages that depend on who reads them, like `peer-joined`'s negotiation role). Returns
 * the recipients that did not get a relayed message (always none for server events).
 */
export function broadcast(
  room: Room,
  message: ServerMessage | ((member: Session) => ServerMessage),
  except?: Session,
  options: BroadcastOptions = {},
): Refused[] {
  const refused: Refused[] = [];
  for (const member of room.others(except?.peerId)) {
    const out = typeof message === 'function' ? message(member) : message;
    if (options.relayedFrom === undefined) {
      member.send(out);
      continue;
    }
    const refusal = member.relay(out, options.relayedFrom);
    if (refusal !== null) {
      refused.push({ to: member, refusal });
    }
  }
  return refused;
}
