/**
 * The bounds of the PeerJS-style API (`Peer`), in one place. Sizes are bytes. The data connection's pacing reuses
 * the data layer's water marks (data/limits.ts).
 */

/** peerjs splits a BinaryPack message larger than this into chunks of this size (its `chunkedMTU`). */
export const PEERJS_CHUNK_MTU = 16_300;
/** The largest message a data connection sends or reassembles from chunks ('binary'). */
export const MAX_PEER_MESSAGE_BYTES = 16 * 1024 * 1024;
/** The largest single frame a 'json' or 'raw' data connection sends (one SCTP message, no chunking). */
export const MAX_PEER_FRAME_BYTES = 256 * 1024;
/** Bytes a data connection holds for sending while its channel is busy or not open yet; past it `send` fails. */
export const MAX_PEER_QUEUED_BYTES = 32 * 1024 * 1024;
/** Chunked messages being reassembled at once per data connection (peerjs sends one after the other). */
export const MAX_PARTIAL_MESSAGES = 16;
/** How deep a BinaryPack value may nest before it is refused (the decoder recurses). */
export const MAX_BINARY_DEPTH = 64;
/** Signaling messages (candidates) held for a connection that has no RTCPeerConnection yet (an unanswered call). */
export const MAX_HELD_SIGNALS = 128;
/** ICE restarts tried in a row for one connection between two SDK peers before it is closed. */
export const MAX_ICE_RESTARTS = 2;
/** How long a restarted (or failed, waiting for the other side's restart) connection may take to reconnect. */
export const ICE_RESTART_TIMEOUT_MS = 15_000;
/** Connections a Peer holds at once, and with one remote peer (incoming OFFERs past them are refused). */
export const MAX_CONNECTIONS = 256;
export const MAX_CONNECTIONS_PER_PEER = 32;
