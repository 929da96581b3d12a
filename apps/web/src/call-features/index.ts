/** Every feature of the call view, in the order their buttons appear in the control bar. */
import { chatFeature } from './chat.js';
import type { CallFeature, CallFeatureContext } from './context.js';
import { filesFeature } from './files.js';
import { handsFeature } from './hands.js';
import { recordingFeature } from './recording.js';
import { screenFeature } from './screen.js';
import { statsFeature } from './stats.js';

export type { CallFeature, CallFeatureContext, PanelHost, Spotlight } from './context.js';

export const CALL_FEATURES: readonly CallFeature[] = [
  screenFeature,
  handsFeature,
  chatFeature,
  filesFeature,
  recordingFeature,
  statsFeature,
];

export function mountCallFeatures(context: CallFeatureContext): void {
  for (const feature of CALL_FEATURES) {
    feature(context);
  }
}
