/** The stats feature's words (see call-features/stats.ts). Keys start with `stats.`. */
import type { FragmentOf } from '../fragment.js';

export const statsEn = {} as const;

export const statsZh: FragmentOf<typeof statsEn> = {};
