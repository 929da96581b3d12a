import { z } from 'zod';
import { ERROR_CODES, type ErrorCode, type ErrorDetail } from './errors.js';
import {
  AnyRoomNameSchema,
  CallEndReasonSchema,
  CallIdSchema,
  IceServerSchema,
  JsonValueSchema,
  MediaStateSchema,
  PeerIdSchema,
  PeerInfoSchema,
  PeerLeftReasonSchema,
  RequestIdSchema,
  RoomEventNameSchema,
  MemberPresenceSchema,
  RoomMemberSchema,
  RoomPeerSchema,
  SignalDataSchema,
} from './primitives.js';
import { DeliveredDirectoryMessageSchema, DirectoryIdSchema } from './peer-directory.js';
import { RelayedSchema } from './data-relay.js';
import { RoomModeSchema, SfuClosedSchema, SfuPublishedSchema, SfuSourcesSchema, SfuSubscribedSchema } from './sfu.js';

const req = { requestId: RequestIdSchema.optional() };

/** The room a client is in, with everyone else in it. */
export const JoinedSchema = z.object({
  type: z.literal('joined'),
  room: AnyRoomNameSchema,
  self: RoomMemberSchema,
  peers: z.array(RoomPeerSchema),
  /** Maximum members of this room. */
  capacity: z.number().int().positive(),
  /** How the room moves media (absent from servers before SFU rooms: `mesh`). */
  mode: RoomModeSchema.optional(),
  ...req,
});

/** Limits and timings the client should follow. */
export const SessionConfigSchema = z.object({
  heartbeatIntervalMs: z.number().int().positive(),
  resumeGraceMs: z.number().int().nonnegative(),
  maxFrameBytes: z.number().int().positive(),
  ringTimeoutMs: z.number().int().positive(),
  /** Frames per second a session may send, sustained; the SDK paces itself to stay under it. */
  rateLimitPerSecond: z.number().int().positive().optional(),
  /** Frames a session may send in one burst. */
  rateLimitBurst: z.number().int().positive().optional(),
  /** Largest serialized `data` of a `room-event` the server relays. */
  maxRoomEventBytes: z.number().int().positive().optional(),
  /** Bytes of `relay` data per second the server delivers for a session (counted per recipient); the SDK paces to it. */
  relayBytesPerSecond: z.number().int().positive().optional(),
});
export type SessionConfig = z.infer<typeof SessionConfigSchema>;

export const WelcomeSchema = z.object({
  type: z.literal('welcome'),
  version: z.number().int(),
  peerId: PeerIdSchema,
  displayName: z.string(),
  /** Present this in a later `hello` to resume this session after the socket drops. */
  resumeToken: z.string(),
  /** True when this `hello` resumed an earlier session (same peer id, same room). */
  resumed: z.boolean(),
  iceServers: z.array(IceServerSchema),
  config: SessionConfigSchema,
  /** On resume: the room the session is still in, as a fresh snapshot. */
  room: JoinedSchema.omit({ type: true }).optional(),
  ...req,
});

export const LeftSchema = z.object({ type: z.literal('left'), room: AnyRoomNameSchema, ...req });

export const PeerJoinedSchema = z.object({ type: z.literal('peer-joined'), room: AnyRoomNameSchema, peer: RoomPeerSchema });

export const PeerLeftSchema = z.object({
  type: z.literal('peer-left'),
  room: AnyRoomNameSchema,
  peerId: PeerIdSchema,
  reason: PeerLeftReasonSchema,
});

/**
 * A member's state changed: its media state, and its presence (hand, recording). Each one carries the whole
 * state. The member's own copy, sent for its `hand` or `recording`, carries that message's request id.
 */
export const PeerUpdatedSchema = z.object({
  type: z.literal('peer-updated'),
  room: AnyRoomNameSchema,
  peerId: PeerIdSchema,
  media: MediaStateSchema,
  ...MemberPresenceSchema.shape,
  ...req,
});

export const RelayedSignalSchema = z.object({ type: z.literal('signal'), from: PeerIdSchema, data: SignalDataSchema });

/** A member's `room-event`, relayed to the other members of its room. `from` is set by the server. */
export const RelayedRoomEventSchema = z.object({
  type: z.literal('room-event'),
  room: AnyRoomNameSchema,
  from: PeerIdSchema,
  event: RoomEventNameSchema,
  data: JsonValueSchema.optional(),
});

/** To the callee: someone is ringing. */
export const IncomingCallSchema = z.object({ type: z.literal('incoming-call'), callId: CallIdSchema, from: PeerInfoSchema });

/** To the caller: the callee's client is ringing. */
export const CallRingingSchema = z.object({
  type: z.literal('call-ringing'),
  callId: CallIdSchema,
  to: PeerInfoSchema,
  ...req,
});

/** To both sides: the call was accepted; a `joined` for `room` follows. */
export const CallAcceptedSchema = z.object({
  type: z.literal('call-accepted'),
  callId: CallIdSchema,
  room: AnyRoomNameSchema,
  ...req,
});

export const CallEndedSchema = z.object({
  type: z.literal('call-ended'),
  callId: CallIdSchema,
  reason: CallEndReasonSchema,
  /** Who ended it, when a peer did. */
  by: PeerIdSchema.optional(),
  ...req,
});

/** Most keys an error's `detail` may have. */
export const MAX_ERROR_DETAIL_KEYS = 16;

/** Structured facts about an error: a flat record of short strings, numbers and booleans. */
export const ErrorDetailSchema: z.ZodType<ErrorDetail> = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'invalid detail key'),
    z.union([z.string().max(256), z.number(), z.boolean()]),
  )
  .refine((detail) => Object.keys(detail).length <= MAX_ERROR_DETAIL_KEYS, `at most ${MAX_ERROR_DETAIL_KEYS} detail keys`);

export const ErrorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  /** Human-readable, in English. Never parse it: facts a program needs are in `detail`. */
  message: z.string(),
  /** Structured facts, for example `{ size: 6, capacity: 6 }` with `ROOM_FULL`. */
  detail: ErrorDetailSchema.optional(),
  ...req,
});

/** The server is going away; reconnect after the hint, if any. */
export const ShutdownSchema = z.object({
  type: z.literal('shutdown'),
  reason: z.string(),
  reconnectAfterMs: z.number().int().nonnegative().optional(),
});

/** The session holds directory id `id` (answer to `peer-open`); `token` takes it back after a reload. */
export const PeerOpenedSchema = z.object({
  type: z.literal('peer-opened'),
  id: DirectoryIdSchema,
  token: z.string().min(1).max(128),
  ...req,
});

/** A directory message for this session's id, with `src` set by the server. */
export const RelayedPeerSignalSchema = z.object({ type: z.literal('peer-signal'), message: DeliveredDirectoryMessageSchema });

export const ServerMessageSchema = z.discriminatedUnion('type', [
  WelcomeSchema,
  JoinedSchema,
  LeftSchema,
  PeerJoinedSchema,
  PeerLeftSchema,
  PeerUpdatedSchema,
  RelayedSignalSchema,
  RelayedRoomEventSchema,
  IncomingCallSchema,
  CallRingingSchema,
  CallAcceptedSchema,
  CallEndedSchema,
  ErrorMessageSchema,
  ShutdownSchema,
  PeerOpenedSchema,
  RelayedPeerSignalSchema,
  SfuPublishedSchema,
  SfuSubscribedSchema,
  SfuSourcesSchema,
  SfuClosedSchema,
  RelayedSchema,
]);

export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
/** `ServerMessageOf<'joined'>` is the joined message. */
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;
export type JoinedRoom = Omit<ServerMessageOf<'joined'>, 'type' | 'requestId'>;
