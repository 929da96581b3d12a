/** The PeerJS-style API: `Peer`, its calls (MediaConnection) and data connections (DataConnection). */
export { Peer, type PeerEvents, type PeerOptions } from './peer.js';
export { MediaConnection, type CallOptions, type MediaConnectionEvents } from './media-connection.js';
export { DataConnection, type ConnectOptions, type DataConnectionEvents } from './data-connection.js';
export type { ConnectionEvents } from './base-connection.js';
export { PeerError, type PeerErrorType } from './peer-errors.js';
export type { PeerSession, StorageLike } from './peer-session.js';
export type { Serialization } from './wire.js';
