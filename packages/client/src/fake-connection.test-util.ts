import type { SupervisedConnection } from './ice-supervisor.js';

export type RawState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
const ICE_STATE: Record<RawState, string> = {
  new: 'new',
  connecting: 'checking',
  connected: 'connected',
  disconnected: 'disconnected',
  failed: 'failed',
  closed: 'closed',
};

/** An RTCPeerConnection as far as the supervisor sees it: two states, their events, and a restartIce() spy. */
export class FakeConnection extends EventTarget implements SupervisedConnection {
  connectionState: string | undefined = 'new';
  iceConnectionState = 'new';
  restarts = 0;

  restartIce(): void {
    this.restarts++;
  }

  /** Moves to `state` and fires both change events, as browsers do. */
  set(state: RawState): void {
    if (this.connectionState !== undefined) {
      this.connectionState = state;
    }
    this.iceConnectionState = ICE_STATE[state];
    this.dispatchEvent(new Event('iceconnectionstatechange'));
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}
