/** The hands feature's words (see call-features/hands.ts). Keys start with `hands.`. */
import type { FragmentOf } from '../fragment.js';

export const handsEn = {} as const;

export const handsZh: FragmentOf<typeof handsEn> = {};
