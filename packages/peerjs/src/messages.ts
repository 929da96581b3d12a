import { PeerjsClientMessageSchema, type PeerjsClientMessage } from '@rendezvous/protocol';
import { checkPeerjsMessage } from './fast-message.js';
import { checkMessageText, type RawMessage } from './raw-message.js';

export {
  DirectoryIdSchema as peerId,
  PeerjsClientMessageSchema as clientMessage,
  type DirectoryMessage as RelayedMessage,
  type PeerjsClientMessage as ClientMessage,
  type PeerjsServerMessage as ServerMessage,
} from '@rendezvous/protocol';

/**
 * Parses one text frame as the protocol's schema does; undefined when it is not JSON or not a valid message.
 * HEARTBEAT, OFFER, ANSWER and CANDIDATE are checked by hand (checkPeerjsMessage, the same rules); anything
 * that check does not accept goes through the schema.
 */
export function parseClientMessage(text: string): PeerjsClientMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const fast = checkPeerjsMessage(json);
  if (fast !== undefined) {
    return fast;
  }
  const result = PeerjsClientMessageSchema.safeParse(json);
  return result.success ? result.data : undefined;
}

/**
 * What the endpoint decodes a frame to: an OFFER, ANSWER or CANDIDATE in the peerjs client's form checked on its
 * text (a RawMessage, relayed without parsing its payload), or else what parseClientMessage makes of it.
 */
export function decodeClientMessage(text: string): PeerjsClientMessage | RawMessage | undefined {
  return checkMessageText(text) ?? parseClientMessage(text);
}
