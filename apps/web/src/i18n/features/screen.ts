/** The screen feature's words (see call-features/screen.ts). Keys start with `screen.`. */
import type { FragmentOf } from '../fragment.js';

export const screenEn = {} as const;

export const screenZh: FragmentOf<typeof screenEn> = {};
