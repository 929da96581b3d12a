import { z } from 'zod';
import { PeerIdSchema, RequestIdSchema } from './primitives.js';

/**
 * Data through the server, for rooms of mode `sfu` (members have no connection to each other there). The SDK's data
 * layer (messages, streams, chat, files) runs over virtual channels: each frame names a channel (`ch`), says what
 * happens to it (`op`), and carries text, or binary as base64 (`bin`). A frame larger than one WebSocket frame goes in
 * pieces: every piece but the last has `more`. The server checks membership and size and relays; it never reads `data`.
 */

/** The largest `data` of one relay frame (characters; base64 for binary). Within the server's maxFrameBytes with room. */
export const MAX_RELAY_DATA_CHARS = 48 * 1024;
/** Recipients named in one frame; a frame without `to` goes to every other member. */
export const MAX_RELAY_RECIPIENTS = 64;

/** A channel name: the data layer's labels (`messages`, `stream:<n>`), scoped per sender. */
export const RelayChannelSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9:._-]+$/, 'invalid channel name');

/** `open` starts a channel the sender opened, `data` carries a frame on it, `close` ends it. */
export const RelayOpSchema = z.enum(['open', 'data', 'close']);
export type RelayOp = z.infer<typeof RelayOpSchema>;

const relayBody = {
  ch: RelayChannelSchema,
  op: RelayOpSchema,
  data: z.string().max(MAX_RELAY_DATA_CHARS).optional(),
  /** `data` is base64 of binary. */
  bin: z.literal(true).optional(),
  /** More pieces of the same frame follow. */
  more: z.literal(true).optional(),
};

/** client → server: relay a frame to `to` (members of the sender's room), or to every other member. */
export const RelaySchema = z.object({
  type: z.literal('relay'),
  to: z.array(PeerIdSchema).min(1).max(MAX_RELAY_RECIPIENTS).optional(),
  ...relayBody,
  requestId: RequestIdSchema.optional(),
});

/** server → client: a relayed frame from `from`. */
export const RelayedSchema = z.object({ type: z.literal('relay'), from: PeerIdSchema, ...relayBody });
