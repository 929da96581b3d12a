/** The screen feature of the call view (issue 8). */
import type { CallFeature } from './context.js';

export const screenFeature: CallFeature = () => undefined;
