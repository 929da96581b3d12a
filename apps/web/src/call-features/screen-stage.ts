/**
 * The shared screens this feature put in the large spot, in the order they started (the latest one shows),
 * so that a language switch can re-label them without changing which one is on top.
 */
import type { Spotlight } from './context.js';

export interface ScreenStage {
  show(owner: string, stream: MediaStream): void;
  hide(owner: string): void;
  /** Re-applies every label (after a language switch or a rename), keeping the order. */
  relabel(): void;
}

export function createScreenStage(spotlight: Spotlight, label: (owner: string) => string): ScreenStage {
  const shown = new Map<string, MediaStream>();
  return {
    show(owner, stream) {
      shown.delete(owner);
      shown.set(owner, stream);
      spotlight.show(owner, stream, label(owner));
    },
    hide(owner) {
      if (shown.delete(owner)) {
        spotlight.hide(owner);
      }
    },
    relabel() {
      for (const [owner, stream] of shown) {
        spotlight.show(owner, stream, label(owner));
      }
    },
  };
}
