/** The recording feature's words (see call-features/recording.ts). Keys start with `recording.`. */
import type { FragmentOf } from '../fragment.js';

export const recordingEn = {} as const;

export const recordingZh: FragmentOf<typeof recordingEn> = {};
