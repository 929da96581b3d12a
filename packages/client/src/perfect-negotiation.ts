import { RendezvousError, type SignalData } from '@rendezvous/protocol';
import { fingerprints } from './sdp.js';

type Description = Extract<SignalData, { kind: 'description' }>['description'];
type Candidate = Extract<SignalData, { kind: 'candidate' }>['candidate'];

export interface NegotiatorHooks {
  send(data: SignalData): void;
  /** After a remote offer was applied and before the answer is created (attach local tracks here). */
  beforeAnswer(): Promise<void>;
  /** After a negotiation step left the connection in `stable`. */
  onStable(): void;
  onError(error: RendezvousError): void;
}

export interface NegotiatorOptions {
  polite: boolean;
  /** The polite side makes no offer before the first remote offer arrived (the impolite side goes first). */
  politeWaitsForFirstOffer?: boolean;
  /** Descriptions carrying one of these DTLS fingerprints are dropped (they belong to a replaced connection). */
  ignoreFingerprints?: readonly string[];
}

const MAX_BUFFERED_CANDIDATES = 200;

/**
 * The W3C "perfect negotiation" pattern over one RTCPeerConnection, with every step (making an offer,
 * applying a description, adding a candidate) run through one serialized queue.
 */
export class Negotiator {
  readonly #pc: RTCPeerConnection;
  readonly #polite: boolean;
  readonly #hooks: NegotiatorHooks;
  readonly #waitForOffer: boolean;
  readonly #ignoreFingerprints: ReadonlySet<string>;
  #queue: Promise<void> = Promise.resolve();
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  #receivedOffer = false;
  #offerDeferred = false;
  #closed = false;
  #buffered: Candidate[] = [];
  readonly #onNegotiationNeeded = (): void => {
    void this.#enqueue(() => this.#makeOffer());
  };
  readonly #onIceCandidate = (event: RTCPeerConnectionIceEvent): void => {
    if (this.#closed || event.candidate === null) {
      return;
    }
    const json = event.candidate.toJSON();
    this.#hooks.send({
      kind: 'candidate',
      candidate: {
        candidate: json.candidate ?? '',
        sdpMid: json.sdpMid ?? null,
        sdpMLineIndex: json.sdpMLineIndex ?? null,
        usernameFragment: json.usernameFragment ?? null,
      },
    });
  };

  constructor(pc: RTCPeerConnection, options: NegotiatorOptions, hooks: NegotiatorHooks) {
    this.#pc = pc;
    this.#polite = options.polite;
    this.#hooks = hooks;
    this.#waitForOffer = options.polite && options.politeWaitsForFirstOffer !== false;
    this.#ignoreFingerprints = new Set(options.ignoreFingerprints ?? []);
    pc.addEventListener('negotiationneeded', this.#onNegotiationNeeded);
    pc.addEventListener('icecandidate', this.#onIceCandidate);
  }

  /** Whether a remote description was ever applied. */
  get hasRemoteDescription(): boolean {
    return this.#pc.remoteDescription !== null;
  }

  /** Handles one description or candidate from the remote peer, in order with everything else. */
  handle(data: SignalData): Promise<void> {
    if (data.kind === 'description') {
      return this.#enqueue(() => this.#onDescription(data.description));
    }
    if (data.kind === 'candidate') {
      return this.#enqueue(() => this.#onCandidate(data.candidate));
    }
    return Promise.resolve();
  }

  /** Asks for an offer now (used after attaching tracks when the browser may not fire negotiationneeded). */
  requestOffer(): void {
    this.#onNegotiationNeeded();
  }

  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#buffered = [];
    this.#pc.removeEventListener('negotiationneeded', this.#onNegotiationNeeded);
    this.#pc.removeEventListener('icecandidate', this.#onIceCandidate);
  }

  #enqueue(job: () => Promise<void>): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.#closed) {
        return;
      }
      try {
        await job();
      } catch (error) {
        if (this.#closed) {
          return;
        }
        this.#hooks.onError(
          error instanceof RendezvousError
            ? error
            : new RendezvousError('NEGOTIATION_FAILED', `Negotiation failed: ${describe(error)}`, { cause: error }),
        );
      }
    };
    const next = this.#queue.then(run);
    this.#queue = next;
    return next;
  }

  async #makeOffer(): Promise<void> {
    const pc = this.#pc;
    if (this.#waitForOffer && !this.#receivedOffer) {
      this.#offerDeferred = true;
      return;
    }
    // Not stable: an exchange is under way; the browser fires negotiationneeded again once it settles.
    if (pc.signalingState !== 'stable') {
      return;
    }
    try {
      this.#makingOffer = true;
      await pc.setLocalDescription();
      if (this.#closed) {
        return;
      }
      const local = pc.localDescription;
      if (local === null || local.type !== 'offer') {
        return;
      }
      this.#hooks.send({ kind: 'description', description: { type: 'offer', sdp: local.sdp } });
    } finally {
      this.#makingOffer = false;
    }
  }

  async #onDescription(description: Description): Promise<void> {
    const pc = this.#pc;
    if (this.#ignoreFingerprints.size > 0 && fingerprints(description.sdp).some((f) => this.#ignoreFingerprints.has(f))) {
      return; // from the connection this one replaced
    }
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#isSettingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.#polite && offerCollision;
    if (this.#ignoreOffer) {
      this.#buffered = [];
      return;
    }
    if (description.type === 'answer' && pc.signalingState !== 'have-local-offer') {
      return; // an answer to an offer we rolled back
    }
    this.#isSettingRemoteAnswerPending = description.type === 'answer';
    try {
      await pc.setRemoteDescription(description);
    } finally {
      this.#isSettingRemoteAnswerPending = false;
    }
    if (this.#closed) {
      return;
    }
    await this.#flushCandidates();
    if (description.type === 'offer') {
      this.#receivedOffer = true;
      await this.#hooks.beforeAnswer();
      if (this.#closed) {
        return;
      }
      await pc.setLocalDescription();
      if (this.#closed) {
        return;
      }
      const local = pc.localDescription;
      if (local !== null && local.type === 'answer') {
        this.#hooks.send({ kind: 'description', description: { type: 'answer', sdp: local.sdp } });
      }
    }
    if (pc.signalingState === 'stable') {
      this.#hooks.onStable();
      if (this.#offerDeferred) {
        this.#offerDeferred = false;
        void this.#enqueue(() => this.#makeOffer());
      }
    }
  }

  async #onCandidate(candidate: Candidate): Promise<void> {
    if (this.#pc.remoteDescription === null) {
      if (!this.#ignoreOffer && this.#buffered.length < MAX_BUFFERED_CANDIDATES) {
        this.#buffered.push(candidate);
      }
      return;
    }
    await this.#addCandidate(candidate);
  }

  async #flushCandidates(): Promise<void> {
    const pending = this.#buffered;
    this.#buffered = [];
    for (const candidate of pending) {
      await this.#addCandidate(candidate);
    }
  }

  async #addCandidate(candidate: Candidate): Promise<void> {
    try {
      await this.#pc.addIceCandidate(candidate);
    } catch (error) {
      // Candidates of an ignored offer, of an earlier ICE generation, or end-of-candidates markers that the
      // browser does not take are expected to fail; anything else is worth a warning, not a broken link.
      if (!this.#ignoreOffer && candidate.candidate !== '' && !this.#closed) {
        console.warn('[rendezvous] addIceCandidate failed:', describe(error));
      }
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}
