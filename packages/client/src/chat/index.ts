export { Chat, type ChatEvents, type ChatOptions, type ChatSendOptions } from './chat.js';
export type { ChatMessage } from './chat-message.js';
export { CHAT_HISTORY_LIMIT, MAX_CHAT_TEXT } from './chat-limits.js';
