import { z } from 'zod';
import {
  CallIdSchema,
  DisplayNameSchema,
  JsonValueSchema,
  MediaStateSchema,
  PeerIdSchema,
  RequestIdSchema,
  RoomEventNameSchema,
  RoomNameSchema,
  SignalDataSchema,
} from './primitives.js';
import { DirectoryIdSchema, DirectoryMessageSchema } from './peer-directory.js';
import {
  RoomModeSchema,
  SfuCandidateSchema,
  SfuPublishSchema,
  SfuSubscribeSchema,
  SfuUnpublishSchema,
  SfuUnsubscribeSchema,
} from './sfu.js';
import { RelaySchema } from './data-relay.js';

const req = { requestId: RequestIdSchema.optional() };

/** First message of every session. `resumeToken` asks to take over a session whose socket dropped. */
export const HelloSchema = z.object({
  type: z.literal('hello'),
  version: z.number().int(),
  displayName: DisplayNameSchema,
  resumeToken: z.string().max(128).optional(),
  /** Opaque credential handed to the server's auth hook (for example a JWT). */
  token: z.string().max(8192).optional(),
  ...req,
});

export const JoinSchema = z.object({
  type: z.literal('join'),
  room: RoomNameSchema,
  media: MediaStateSchema.optional(),
  /** The mode a room this join creates should have (the server's default when absent; ignored for a room that exists). */
  mode: RoomModeSchema.optional(),
  /**
   * The capacity a room this join creates should have (ignored for a room that exists). Past the server's mesh
   * capacity it makes the room `sfu` unless `mode` says `mesh`; it is capped at the mode's capacity.
   */
  capacity: z.number().int().min(2).max(100_000).optional(),
  ...req,
});

export const LeaveSchema = z.object({ type: z.literal('leave'), ...req });

/** Relay `data` to `to`, who must be in the sender's room. */
export const SignalSchema = z.object({
  type: z.literal('signal'),
  to: PeerIdSchema,
  data: SignalDataSchema,
  ...req,
});

export const MediaStateMessageSchema = z.object({
  type: z.literal('media-state'),
  media: MediaStateSchema,
  ...req,
});

/**
 * Raise or lower the sender's hand in its room. The server stamps a raised hand with the room's next order
 * number and tells everyone, the sender included, with `peer-updated`.
 */
export const HandSchema = z.object({ type: z.literal('hand'), raised: z.boolean(), ...req });

/** Tell the sender's room that it is (or no longer is) recording the call; everyone gets `peer-updated`. */
export const RecordingSchema = z.object({ type: z.literal('recording'), active: z.boolean(), ...req });

/**
 * An application event for the other members of the sender's room (a raised hand, a reaction). The server
 * checks the name and that `data` is JSON within its size limit (`maxRoomEventBytes`), never its meaning.
 */
export const RoomEventSchema = z.object({
  type: z.literal('room-event'),
  event: RoomEventNameSchema,
  data: JsonValueSchema.optional(),
  ...req,
});

/** Ring another online peer for a 1:1 call. */
export const CallSchema = z.object({ type: z.literal('call'), to: PeerIdSchema, ...req });
export const CallAcceptSchema = z.object({ type: z.literal('call-accept'), callId: CallIdSchema, ...req });
export const CallRejectSchema = z.object({ type: z.literal('call-reject'), callId: CallIdSchema, ...req });
export const CallCancelSchema = z.object({ type: z.literal('call-cancel'), callId: CallIdSchema, ...req });
export const CallHangupSchema = z.object({ type: z.literal('call-hangup'), callId: CallIdSchema, ...req });

/**
 * Take a peer id in the directory (PeerJS model): `id`, or one the server picks. `token` is a secret the client
 * keeps with the id (across a reload): the same id and token take the id over from a session that still holds it,
 * or back within the server's leave timeout after the session ended. A resumed session keeps its id.
 */
export const PeerOpenSchema = z.object({
  type: z.literal('peer-open'),
  id: DirectoryIdSchema.optional(),
  token: z.string().min(16).max(128).optional(),
  ...req,
});

/** Relay one directory message to the peer with id `message.dst` (a peerjs client or another SDK `Peer`). */
export const PeerSignalSchema = z.object({ type: z.literal('peer-signal'), message: DirectoryMessageSchema, ...req });

export const ClientMessageSchema = z.discriminatedUnion('type', [
  HelloSchema,
  JoinSchema,
  LeaveSchema,
  SignalSchema,
  MediaStateMessageSchema,
  RoomEventSchema,
  HandSchema,
  RecordingSchema,
  CallSchema,
  CallAcceptSchema,
  CallRejectSchema,
  CallCancelSchema,
  CallHangupSchema,
  PeerOpenSchema,
  PeerSignalSchema,
  SfuPublishSchema,
  SfuUnpublishSchema,
  SfuSubscribeSchema,
  SfuUnsubscribeSchema,
  SfuCandidateSchema,
  RelaySchema,
]);

export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
/** `ClientMessageOf<'join'>` is the join message. */
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;
/** A client message as the SDK builds it (the input side of the schema: before trimming and defaults). */
export type ClientMessageInput = z.input<typeof ClientMessageSchema>;
