/**
 * Every bound of the chat, in one place.
 */

/** The longest message text, in UTF-16 code units (`text.length`); longer ones are refused on send and on receipt. */
export const MAX_CHAT_TEXT = 4000;
/** Messages kept (room-wide and private together); the oldest go first. Also the most a history answer carries. */
export const CHAT_HISTORY_LIMIT = 100;
/** The longest message id and peer id accepted from a peer. */
export const MAX_CHAT_ID_CHARS = 128;
/** A history answer is sent as several internal messages of at most this much JSON each. */
export const HISTORY_BATCH_BYTES = 48 * 1024;
/** A history answer carries the newest messages that fit in this much JSON (so it never fills a peer's queue). */
export const HISTORY_ANSWER_BYTES = 512 * 1024;
/** The internal topic the chat uses on the room's data layer. */
export const CHAT_TOPIC = 'chat';
