/** The hands feature of the call view (issue 8). */
import type { CallFeature } from './context.js';

export const handsFeature: CallFeature = () => undefined;
