/** The files feature's words (see call-features/files.ts). Keys start with `files.`. */
import type { FragmentOf } from '../fragment.js';

export const filesEn = {} as const;

export const filesZh: FragmentOf<typeof filesEn> = {};
