import { z } from 'zod';
import { IceCandidateSchema, JsonValueSchema, SessionDescriptionSchema } from './primitives.js';

/**
 * The PeerJS model: peers find each other by an id they choose, and one connection (media or data) is
 * negotiated through OFFER, ANSWER and CANDIDATE messages relayed by id. Both the PeerServer-compatible
 * endpoint (`/peerjs`, spoken by the unmodified peerjs client) and the SDK's `Peer` (over `/ws`) use these
 * schemas, and share one namespace of ids, so a peerjs peer and an SDK peer reach each other.
 */

/** Longest peer id, in characters. */
export const MAX_DIRECTORY_ID_LENGTH = 256;

/** A peer id as the peerjs client accepts it: letters and digits, with single ' ', '_' or '-' inside. */
export const DirectoryIdSchema = z
  .string()
  .max(MAX_DIRECTORY_ID_LENGTH)
  .regex(/^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$/, 'invalid peer id');
export type DirectoryId = z.infer<typeof DirectoryIdSchema>;

/** What one connection is for. */
export const ConnectionTypeSchema = z.enum(['media', 'data']);
export type ConnectionType = z.infer<typeof ConnectionTypeSchema>;

/** Names one connection between two peers; the caller picks it (`mc_…` for media, `dc_…` for data in peerjs). */
export const ConnectionIdSchema = z.string().min(1).max(64);

/** How a data connection encodes messages, as in peerjs. */
export const SerializationSchema = z.string().min(1).max(32);

/**
 * OFFER: opens a connection (or, for a connection id both sides know, renegotiates it). Unknown fields are
 * kept and relayed: peerjs versions add their own, and so does the SDK (`rendezvous`).
 */
export const OfferPayloadSchema = z.looseObject({
  sdp: SessionDescriptionSchema,
  type: ConnectionTypeSchema,
  connectionId: ConnectionIdSchema,
  metadata: JsonValueSchema.optional(),
  label: z.string().max(256).optional(),
  reliable: z.boolean().optional(),
  serialization: SerializationSchema.optional(),
});

export const AnswerPayloadSchema = z.looseObject({
  sdp: SessionDescriptionSchema,
  type: ConnectionTypeSchema,
  connectionId: ConnectionIdSchema,
});

export const CandidatePayloadSchema = z.looseObject({
  candidate: IceCandidateSchema,
  type: ConnectionTypeSchema,
  connectionId: ConnectionIdSchema,
});

export type OfferPayload = z.infer<typeof OfferPayloadSchema>;
export type AnswerPayload = z.infer<typeof AnswerPayloadSchema>;
export type CandidatePayload = z.infer<typeof CandidatePayloadSchema>;

/**
 * One relayed message, by kind. LEAVE: the sender is gone (the server also sends it for a peer whose socket
 * dropped and did not come back). EXPIRE: a message to `dst` could not be delivered (no such peer in time).
 */
const directoryMessage = <T extends string, P extends z.ZodType>(kind: T, payload: P) =>
  z.object({ type: z.literal(kind), dst: DirectoryIdSchema, payload });

export const DirectoryOfferSchema = directoryMessage('OFFER', OfferPayloadSchema);
export const DirectoryAnswerSchema = directoryMessage('ANSWER', AnswerPayloadSchema);
export const DirectoryCandidateSchema = directoryMessage('CANDIDATE', CandidatePayloadSchema);
export const DirectoryLeaveSchema = directoryMessage('LEAVE', z.unknown().optional());
export const DirectoryExpireSchema = directoryMessage('EXPIRE', z.unknown().optional());

/** A message one peer sends another through the directory. */
export const DirectoryMessageSchema = z.discriminatedUnion('type', [
  DirectoryOfferSchema,
  DirectoryAnswerSchema,
  DirectoryCandidateSchema,
  DirectoryLeaveSchema,
  DirectoryExpireSchema,
]);
export type DirectoryMessage = z.infer<typeof DirectoryMessageSchema>;
export type DirectoryKind = DirectoryMessage['type'];
export const DIRECTORY_KINDS = ['OFFER', 'ANSWER', 'CANDIDATE', 'LEAVE', 'EXPIRE'] as const satisfies readonly DirectoryKind[];

/** What the unmodified peerjs client sends on `<path>/peerjs`: a relayed message, or HEARTBEAT. */
export const PeerjsClientMessageSchema = z.union([z.object({ type: z.literal('HEARTBEAT') }), DirectoryMessageSchema]);
export type PeerjsClientMessage = z.infer<typeof PeerjsClientMessageSchema>;

/** What the PeerServer-compatible endpoint sends a peerjs client. */
export interface PeerjsServerMessage {
  type: 'OPEN' | 'ERROR' | 'ID-TAKEN' | 'INVALID-KEY' | DirectoryKind;
  src?: string;
  dst?: string;
  payload?: unknown;
}

/** A directory message as delivered, with `src` set by the server. */
export const DeliveredDirectoryMessageSchema = z.discriminatedUnion('type', [
  DirectoryOfferSchema.extend({ src: DirectoryIdSchema }),
  DirectoryAnswerSchema.extend({ src: DirectoryIdSchema }),
  DirectoryCandidateSchema.extend({ src: DirectoryIdSchema }),
  DirectoryLeaveSchema.extend({ src: DirectoryIdSchema }),
  DirectoryExpireSchema.extend({ src: DirectoryIdSchema }),
]);
export type DeliveredDirectoryMessage = z.infer<typeof DeliveredDirectoryMessageSchema>;
