/**
 * `window.__rendezvous`: the live SDK objects of the current page, for end-to-end tests and for
 * developers poking at a call from the console (like chrome://webrtc-internals, but for the SDK).
 */
import type { CallClient, LocalMedia, Room } from '@rendezvous/client';

export interface DebugHandles {
  room: Room | null;
  media: LocalMedia | null;
  callClient: CallClient | null;
}

declare global {
  interface Window {
    __rendezvous: DebugHandles;
  }
}

const handles: DebugHandles = { room: null, media: null, callClient: null };
window.__rendezvous = handles;

/** Publishes some of the live objects; pass null to clear one. */
export function expose(partial: Partial<DebugHandles>): void {
  Object.assign(handles, partial);
}
