import { z } from 'zod';

/** Server-assigned peer id: 16 url-safe characters. */
export const PeerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'invalid peer id');
export type PeerId = z.infer<typeof PeerIdSchema>;

/**
 * A room name a client may ask for: 1–64 characters of letters, digits, '-', '_' and '.'.
 * Names starting with '~' are reserved for rooms the server creates (1:1 calls).
 */
export const RoomNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'invalid room name');
/** Any room name the server may report, including its own private '~' rooms. */
export const AnyRoomNameSchema = z.string().regex(/^~?[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'invalid room name');
export type RoomName = z.infer<typeof AnyRoomNameSchema>;

/**
 * Characters a name may not contain: C0 and C1 controls, DEL, bidirectional overrides, embeddings, isolates
 * and marks (they reorder what others see), zero-width and other invisible format characters (so that "Bob"
 * and "Bob\u200B" cannot pass for each other), fillers that render as nothing, and the line and paragraph
 * separators. A zero-width joiner between two emoji and a variation selector after an emoji are part of how
 * emoji are written, and stay allowed there.
 */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- this class names exactly those characters
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]/u;
const EMOJI = /\p{Extended_Pictographic}/u;
const JOINER = '\u200d';
const VARIATION = /[\ufe0e\ufe0f]/u;
/** Something other than whitespace (braille blank included): a name needs one. */
const VISIBLE = /[^\s\u2800]/u;

/** True when `name` holds a character that hides, reorders or controls text (see above). */
export function hasForbiddenNameCharacter(name: string): boolean {
  const chars = [...name];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (!FORBIDDEN.test(char)) {
      continue;
    }
    const before = chars[i - 1] ?? '';
    const after = chars[i + 1] ?? '';
    if (VARIATION.test(char) && EMOJI.test(before)) {
      continue;
    }
    if (char === JOINER && (EMOJI.test(before) || VARIATION.test(before)) && EMOJI.test(after)) {
      continue;
    }
    return true;
  }
  return false;
}

/** A display name as the user typed it; trimmed, 1–64 characters, nothing invisible or reordering, not blank. */
export const DisplayNameSchema = z
  .string()
  .trim()
  .min(1, 'display name is empty')
  .max(64, 'display name is longer than 64 characters')
  .refine(
    (name) => !hasForbiddenNameCharacter(name),
    'display name contains control characters, bidirectional controls or invisible characters',
  )
  .refine((name) => VISIBLE.test(name), 'display name has no visible character');

export const RequestIdSchema = z.string().min(1).max(64);

/** What a peer is sending, as the peer itself reports it. */
export const MediaStateSchema = z.object({
  audioMuted: z.boolean(),
  videoMuted: z.boolean(),
  screenSharing: z.boolean(),
});
export type MediaState = z.infer<typeof MediaStateSchema>;

export const DEFAULT_MEDIA_STATE: MediaState = { audioMuted: false, videoMuted: false, screenSharing: false };

export const PeerInfoSchema = z.object({
  peerId: PeerIdSchema,
  displayName: z.string(),
  media: MediaStateSchema,
});
export type PeerInfo = z.infer<typeof PeerInfoSchema>;

/**
 * Order of a raised hand in its room: the server stamps 1, 2, 3, … as hands go up (a hand raised again after
 * being lowered gets a new, larger number), so sorting by it gives the order hands were raised.
 */
export const HandOrderSchema = z.number().int().positive();

/**
 * What a member says about itself in its room, kept by the server so late joiners see it too. Optional on the
 * wire only so that messages of servers that predate it still parse: this server always sends both.
 */
export const MemberPresenceSchema = z.object({
  /** The raised hand's order number, or null when the hand is down. */
  hand: HandOrderSchema.nullable().optional(),
  /** The member says it is recording the call. */
  recording: z.boolean().optional(),
});
export type MemberPresence = z.infer<typeof MemberPresenceSchema>;

/** A member of a room: its PeerInfo and its presence there (`self` in `joined`). */
export const RoomMemberSchema = PeerInfoSchema.extend(MemberPresenceSchema.shape);
export type RoomMember = z.infer<typeof RoomMemberSchema>;

/** A peer in a room as seen by one member: `polite` is that member's role toward this peer. */
export const RoomPeerSchema = RoomMemberSchema.extend({
  /**
   * Perfect-negotiation role of the *receiving* client toward this peer. The impolite side of a pair
   * makes the first offer; the polite side rolls back on collisions.
   */
  polite: z.boolean(),
});
export type RoomPeer = z.infer<typeof RoomPeerSchema>;

/** RTCSessionDescriptionInit, restricted to what negotiation sends. */
export const SessionDescriptionSchema = z.object({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().max(60_000),
});

/** RTCIceCandidateInit. An empty `candidate` string marks end of candidates. */
export const IceCandidateSchema = z.object({
  candidate: z.string().max(2048),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1024).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

/** Payload relayed between two peers of one room. The server checks its shape, never its meaning. */
export const SignalDataSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('description'), description: SessionDescriptionSchema }),
  z.object({ kind: z.literal('candidate'), candidate: IceCandidateSchema }),
  /** Asks the other side to start over (new RTCPeerConnection); sent when an ICE restart failed. */
  z.object({ kind: z.literal('reset') }),
]);
export type SignalData = z.infer<typeof SignalDataSchema>;

export const IceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;

export const CallIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'invalid call id');

export const CallEndReasonSchema = z.enum([
  /** The callee declined. */
  'rejected',
  /** The caller gave up before an answer. */
  'cancelled',
  /** Nobody answered within the ringing timeout. */
  'timeout',
  /** The callee is in another call or room. */
  'busy',
  /** One side hung up an accepted call. */
  'hangup',
  /** One side's session ended (closed tab, lost network past the resume grace). */
  'disconnected',
]);
export type CallEndReason = z.infer<typeof CallEndReasonSchema>;

export const PeerLeftReasonSchema = z.enum(['left', 'disconnected', 'kicked']);
export type PeerLeftReason = z.infer<typeof PeerLeftReasonSchema>;

/** A JSON value: what `JSON.parse` can return. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** How deeply a relayed JSON value may nest (arrays and objects). Deeper values overflow recursive code. */
export const MAX_JSON_DEPTH = 32;

/**
 * True when `value` is a JSON value (finite numbers, plain arrays and objects) nested at most `maxDepth`
 * levels. Walks with an explicit stack, so a hostile value cannot overflow the call stack while it is checked.
 */
export function isJsonWithin(value: unknown, maxDepth: number): value is JsonValue {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const v = item.value;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') {
      continue;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        return false;
      }
      continue;
    }
    if (typeof v !== 'object' || item.depth >= maxDepth) {
      return false;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
      return false;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      stack.push({ value: child, depth: item.depth + 1 });
    }
  }
  return true;
}

/** Any JSON value nested at most MAX_JSON_DEPTH levels. */
export const JsonValueSchema = z.custom<JsonValue>(
  (value) => isJsonWithin(value, MAX_JSON_DEPTH),
  `expected a JSON value nested at most ${MAX_JSON_DEPTH} levels`,
);

/** The name of a room event: 1–64 characters, lowercase letters, digits and `:._-`, starting with a letter or digit. */
export const RoomEventNameSchema = z
  .string()
  .max(64, 'event name is longer than 64 characters')
  .regex(/^[a-z0-9][a-z0-9:._-]*$/, 'invalid event name');
