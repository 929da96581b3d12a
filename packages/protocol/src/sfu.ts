import { z } from 'zod';
import { IceCandidateSchema, PeerIdSchema, RequestIdSchema } from './primitives.js';

/**
 * The SFU side of the protocol. In a room of mode `sfu` every client sends its media to the server, one connection
 * per published source, and receives each other member's media over one connection per source group, both offered
 * by the client and answered by the server (which never starts a negotiation).
 */

/** How a room moves media: `mesh` (each member connects to each other member) or `sfu` (through the server). */
export const RoomModeSchema = z.enum(['mesh', 'sfu']);
export type RoomMode = z.infer<typeof RoomModeSchema>;

/** What a member publishes: its microphone, camera, screen and the screen's audio (the SDK's send kinds). */
export const SfuSourceSchema = z.enum(['audio', 'video', 'screen', 'screenAudio']);
export type SfuSource = z.infer<typeof SfuSourceSchema>;

/**
 * A subscriber receives a member's sources in groups, each over one connection with an audio and a video line (so
 * that the two play in sync): `camera` carries `audio` and `video`, `screen` carries `screen` and `screenAudio`.
 */
export const SfuGroupSchema = z.enum(['camera', 'screen']);
export type SfuGroup = z.infer<typeof SfuGroupSchema>;

/** The group a source travels in, and its kind. */
export const SFU_SOURCES: Readonly<Record<SfuSource, { group: SfuGroup; kind: 'audio' | 'video' }>> = {
  audio: { group: 'camera', kind: 'audio' },
  video: { group: 'camera', kind: 'video' },
  screen: { group: 'screen', kind: 'video' },
  screenAudio: { group: 'screen', kind: 'audio' },
};

const SdpSchema = z.string().min(1).max(60_000);
const req = { requestId: RequestIdSchema.optional() };

// ---- client → server ----

/** Publish `source` (replacing an earlier publication of it): `sdp` is the client's offer, with one media line. */
export const SfuPublishSchema = z.object({ type: z.literal('sfu-publish'), source: SfuSourceSchema, sdp: SdpSchema, ...req });
export const SfuUnpublishSchema = z.object({ type: z.literal('sfu-unpublish'), source: SfuSourceSchema, ...req });
/** Receive `peerId`'s `group`: `sdp` is the client's offer, with an audio and a video line, both receive-only. */
export const SfuSubscribeSchema = z.object({
  type: z.literal('sfu-subscribe'),
  peerId: PeerIdSchema,
  group: SfuGroupSchema,
  sdp: SdpSchema,
  ...req,
});
export const SfuUnsubscribeSchema = z.object({
  type: z.literal('sfu-unsubscribe'),
  peerId: PeerIdSchema,
  group: SfuGroupSchema,
  ...req,
});

/**
 * One of the client's ICE candidates for its publication of `source`, or its subscription to `peerId`'s `group`,
 * sent after the answer came. The server needs none of them when it can reach the client's checks (it learns the
 * client's address from them), but answers them with checks of its own: some browsers pair no candidate of theirs
 * with some server addresses (Firefox with a loopback one) and connect only through those.
 */
export const SfuCandidateSchema = z.object({
  type: z.literal('sfu-candidate'),
  source: SfuSourceSchema.optional(),
  peerId: PeerIdSchema.optional(),
  group: SfuGroupSchema.optional(),
  candidate: IceCandidateSchema,
  ...req,
});

// ---- server → client ----

/** The server's answer to `sfu-publish`. */
export const SfuPublishedSchema = z.object({ type: z.literal('sfu-published'), source: SfuSourceSchema, sdp: SdpSchema, ...req });
/** The server's answer to `sfu-subscribe`. */
export const SfuSubscribedSchema = z.object({
  type: z.literal('sfu-subscribed'),
  peerId: PeerIdSchema,
  group: SfuGroupSchema,
  sdp: SdpSchema,
  ...req,
});
/** What `peerId` publishes now (after `joined`, for every member that publishes, and on every change). */
export const SfuSourcesSchema = z.object({
  type: z.literal('sfu-sources'),
  peerId: PeerIdSchema,
  sources: z.array(SfuSourceSchema),
});
/**
 * The server ended one of this client's connections on its own (`failed`: it did not connect in time, or its ICE or
 * DTLS failed): the publication of `source`, or the subscription to `peerId`'s `group`.
 */
export const SfuClosedSchema = z.object({
  type: z.literal('sfu-closed'),
  source: SfuSourceSchema.optional(),
  peerId: PeerIdSchema.optional(),
  group: SfuGroupSchema.optional(),
  reason: z.literal('failed'),
});
