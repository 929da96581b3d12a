/**
 * One connection's RTCPeerConnection and its offer/answer work, as peerjs negotiates it: the caller offers once,
 * the callee answers once; there is no renegotiation except the SDK's ICE restart. Operations run one at a time
 * in order; candidates that arrive before the remote description wait for it (bounded). Every listener is removed
 * on `close()`.
 */
import { RendezvousError } from '@rendezvous/protocol';
import { MAX_HELD_SIGNALS } from './limits.js';
import { PeerError } from './peer-errors.js';

export type SignalKind = 'OFFER' | 'ANSWER' | 'CANDIDATE';
type Description = { type: 'offer' | 'answer'; sdp: string };

export interface LinkHooks {
  signal(kind: SignalKind, payload: Record<string, unknown>): void;
  track(event: RTCTrackEvent): void;
  dataChannel(channel: RTCDataChannel): void;
  /** The RTCPeerConnection's `connectionState` changed. */
  state(state: RTCPeerConnectionState): void;
  /** A step failed; `fatal` when the connection cannot go on (a description was refused). */
  error(error: PeerError, fatal: boolean): void;
}

export class ConnectionLink {
  readonly pc: RTCPeerConnection;
  readonly #base: { type: 'media' | 'data'; connectionId: string };
  readonly #hooks: LinkHooks;
  readonly #off: (() => void)[] = [];
  #chain: Promise<void> = Promise.resolve();
  #heldCandidates: RTCIceCandidateInit[] = [];
  #closed = false;

  constructor(pc: RTCPeerConnection, base: { type: 'media' | 'data'; connectionId: string }, hooks: LinkHooks) {
    this.pc = pc;
    this.#base = base;
    this.#hooks = hooks;
    this.#listen('icecandidate', (event) => this.#localCandidate(event as RTCPeerConnectionIceEvent));
    this.#listen('track', (event) => hooks.track(event as RTCTrackEvent));
    this.#listen('datachannel', (event) => hooks.dataChannel((event as RTCDataChannelEvent).channel));
    this.#listen('connectionstatechange', () => hooks.state(pc.connectionState));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Makes an offer (an ICE restart with `iceRestart`) and signals it with `fields` added to the payload. */
  offer(fields: Record<string, unknown>, iceRestart = false): void {
    this.#run(async () => {
      if (iceRestart) {
        this.pc.restartIce();
      }
      const offer = await this.pc.createOffer(iceRestart ? { iceRestart: true } : undefined);
      await this.pc.setLocalDescription(offer);
      this.#signalDescription('OFFER', fields);
    }, false);
  }

  /** Applies a remote offer and signals the answer with `fields` added. */
  acceptOffer(sdp: Description, fields: Record<string, unknown>): void {
    this.#run(async () => {
      await this.pc.setRemoteDescription(sdp);
      await this.#flushCandidates();
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      this.#signalDescription('ANSWER', fields);
    }, true);
  }

  acceptAnswer(sdp: Description): void {
    this.#run(async () => {
      if (this.pc.signalingState !== 'have-local-offer') {
        throw new PeerError('webrtc', 'NEGOTIATION_FAILED', `An answer came in state ${this.pc.signalingState}.`);
      }
      await this.pc.setRemoteDescription(sdp);
      await this.#flushCandidates();
    }, true);
  }

  addCandidate(candidate: RTCIceCandidateInit): void {
    if (this.#closed) {
      return;
    }
    if (this.pc.remoteDescription === null) {
      if (this.#heldCandidates.length < MAX_HELD_SIGNALS) {
        this.#heldCandidates.push(candidate);
      }
      return;
    }
    this.#run(() => this.pc.addIceCandidate(candidate), false);
  }

  /** Idempotent: removes the listeners and closes the RTCPeerConnection (and so its tracks' receivers and channels). */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    for (const off of this.#off.splice(0)) {
      off();
    }
    this.#heldCandidates = [];
    try {
      this.pc.close();
    } catch {
      // already closed
    }
  }

  #listen(type: string, listener: (event: Event) => void): void {
    this.pc.addEventListener(type, listener);
    this.#off.push(() => this.pc.removeEventListener(type, listener));
  }

  #run(step: () => Promise<void>, fatal: boolean): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#closed) {
        return;
      }
      try {
        await step();
      } catch (error) {
        if (!this.#closed) {
          this.#hooks.error(asPeerError(error), fatal);
        }
      }
    });
  }

  async #flushCandidates(): Promise<void> {
    const held = this.#heldCandidates.splice(0);
    for (const candidate of held) {
      try {
        await this.pc.addIceCandidate(candidate);
      } catch (error) {
        this.#hooks.error(asPeerError(error), false);
      }
    }
  }

  #signalDescription(kind: 'OFFER' | 'ANSWER', fields: Record<string, unknown>): void {
    const local = this.pc.localDescription;
    if (this.#closed || local === null) {
      return;
    }
    const sdp = { type: local.type, sdp: local.sdp };
    this.#hooks.signal(kind, { sdp, type: this.#base.type, connectionId: this.#base.connectionId, ...fields });
  }

  #localCandidate(event: RTCPeerConnectionIceEvent): void {
    const candidate = event.candidate;
    if (candidate === null || candidate.candidate === '') {
      return; // peerjs sends no end-of-candidates
    }
    this.#hooks.signal('CANDIDATE', {
      candidate: candidate.toJSON(),
      type: this.#base.type,
      connectionId: this.#base.connectionId,
    });
  }
}

function asPeerError(error: unknown): PeerError {
  if (error instanceof PeerError) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof RendezvousError ? error.code : 'NEGOTIATION_FAILED';
  return new PeerError('webrtc', code, message, { cause: error });
}
