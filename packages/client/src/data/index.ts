export type { DataChannelLike, PeerChannels } from './channel-port.js';
export { RoomData, type RoomDataEvents, type SendOptions } from './room-data.js';
export { TOPIC_PATTERN, isTopic, type DataMessage, type JsonValue, type SendData } from './message-framing.js';
export type { StreamMeta } from './stream-framing.js';
export { OutgoingStream, type OutgoingStreamEvents, type OutgoingStreamState } from './outgoing-stream.js';
export { IncomingStream, type IncomingStreamEvents, type IncomingStreamState } from './incoming-stream.js';
export * from './limits.js';
