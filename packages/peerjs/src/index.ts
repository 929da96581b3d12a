export { attachPeerjs, normalisePath, type PeerjsServer } from './attach.js';
export { PeerjsEndpoint, type ConnectQuery, type DirectoryMember, type PeerSession, type PeerSocket } from './endpoint.js';
export { clientMessage, parseClientMessage, peerId, type ClientMessage, type ServerMessage } from './messages.js';
export { PEERJS_DEFAULTS, type PeerjsLimits, type PeerjsOptions } from './options.js';
