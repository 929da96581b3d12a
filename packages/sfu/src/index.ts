export { Sfu, type SfuStats } from './sfu.js';
export { SfuRoom, type SfuRoomEvents } from './sfu-room.js';
export { DEFAULT_SFU_LIMITS, DEFAULT_SFU_PORT, type SfuLimits, type SfuOptions } from './options.js';
export { VIDEO_CODECS, type VideoCodecName } from './codecs.js';
export type { SfuCounters } from './counters.js';
export { readBundle, type BundleLine } from './bundle.js';
export { ConnectionSlots, type SlotLimits } from './connection-slots.js';
