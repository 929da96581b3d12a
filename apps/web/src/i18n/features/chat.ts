/** The chat feature's words (see call-features/chat.ts). Keys start with `chat.`. */
import type { FragmentOf } from '../fragment.js';

export const chatEn = {} as const;

export const chatZh: FragmentOf<typeof chatEn> = {};
