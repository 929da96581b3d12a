/**
 * Every bound of the data layer, in one place. Sizes are bytes (UTF-8 for text).
 */

/** The largest message `send` accepts (payload, without the one-byte frame tag). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Message bytes queued per peer while its channel is closed or full; past it `send` throws. */
export const MAX_QUEUED_BYTES_PER_PEER = 1024 * 1024;
/** Messages queued per peer (bounds the per-message overhead of many tiny messages). */
export const MAX_QUEUED_MESSAGES_PER_PEER = 4096;
/** `send` and stream writes stop handing data to a channel whose `bufferedAmount` would pass this. */
export const HIGH_WATER_MARK = 1024 * 1024;
/** They continue when `bufferedAmount` falls to this (the channel's `bufferedAmountLowThreshold`). */
export const LOW_WATER_MARK = 256 * 1024;

/** Streams open at once per peer, in each direction; past it `openStream` throws, extra incoming ones are closed. */
export const MAX_STREAMS_PER_PEER = 8;
/** The largest stream meta (its JSON text). */
export const MAX_META_BYTES = 16 * 1024;
/** Stream data travels in chunks of at most this size (larger writes are split; larger frames are refused). */
export const STREAM_CHUNK_BYTES = 16 * 1024;
/** Bytes a stream sender may have ahead of what the receiver has consumed (the receiver's buffer bound). */
export const STREAM_WINDOW_BYTES = 2 * 1024 * 1024;
/** The receiver reports consumed bytes each time this many more were consumed. */
export const STREAM_CREDIT_STEP_BYTES = 256 * 1024;
/** An abort reason is cut to this many characters. */
export const MAX_ABORT_REASON_CHARS = 256;
/** Stream channel labels start with this; channels with other labels are left to whoever owns them. */
export const STREAM_LABEL_PREFIX = 'stream:';
