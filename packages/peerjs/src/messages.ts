import { z } from 'zod';

/** Message types a peerjs client may send; the server relays all but HEARTBEAT to `dst`. */
export const RELAYED_TYPES = ['OFFER', 'ANSWER', 'CANDIDATE', 'LEAVE', 'EXPIRE'] as const;

const MAX_ID_LENGTH = 256;

const relayedMessage = z.object({
  type: z.enum(RELAYED_TYPES),
  dst: z.string().min(1).max(MAX_ID_LENGTH),
  payload: z.unknown().optional(),
});

const heartbeat = z.object({ type: z.literal('HEARTBEAT') });

/** Every message a peerjs client may send; anything else is answered with ERROR and dropped. */
export const clientMessage = z.union([heartbeat, relayedMessage]);

export type ClientMessage = z.infer<typeof clientMessage>;
export type RelayedMessage = z.infer<typeof relayedMessage>;

/** A peer id as the peerjs client accepts it: letters and digits, with single ' ', '_' or '-' inside. */
export const peerId = z
  .string()
  .max(MAX_ID_LENGTH)
  .regex(/^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$/);

/** What the server sends: a type, and for relayed messages the sender and a payload. */
export interface ServerMessage {
  type: 'OPEN' | 'ERROR' | 'ID-TAKEN' | 'INVALID-KEY' | 'LEAVE' | 'EXPIRE' | 'OFFER' | 'ANSWER' | 'CANDIDATE';
  src?: string;
  dst?: string;
  payload?: unknown;
}

/** Parses one text frame; undefined when it is not JSON or not a known message. */
export function parseClientMessage(text: string): ClientMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = clientMessage.safeParse(json);
  return result.success ? result.data : undefined;
}
