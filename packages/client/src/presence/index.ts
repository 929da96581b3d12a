/** Hands, recording notices and reactions: what members say about themselves, announced through the server. */
export { Hands, type HandsEvents, type RaisedHand } from './hands.js';
export { RecordingNotices, type RecordingNoticesEvents } from './recording-notices.js';
export { Reactions, REACTION_EVENT, type ReactionsEvents } from './reactions.js';
export { isReactionEmoji, MAX_REACTION_UNITS } from './reaction-emoji.js';
export type { PresencePort, PresenceRequest } from './presence-port.js';
