import { PeerjsClientMessageSchema, type PeerjsClientMessage } from '@rendezvous/protocol';

export {
  DirectoryIdSchema as peerId,
  PeerjsClientMessageSchema as clientMessage,
  type DirectoryMessage as RelayedMessage,
  type PeerjsClientMessage as ClientMessage,
  type PeerjsServerMessage as ServerMessage,
} from '@rendezvous/protocol';

/** Parses one text frame with the protocol's schema; undefined when it is not JSON or not a valid message. */
export function parseClientMessage(text: string): PeerjsClientMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = PeerjsClientMessageSchema.safeParse(json);
  return result.success ? result.data : undefined;
}
