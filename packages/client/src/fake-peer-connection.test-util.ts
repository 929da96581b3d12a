import type { SignalData } from '@rendezvous/protocol';

type Description = { type: 'offer' | 'answer'; sdp: string };
type Candidate = Extract<SignalData, { kind: 'candidate' }>['candidate'];

export const sdpWith = (fingerprint: string, id: string): string =>
  `v=0\r\no=- ${id} 2 IN IP4 127.0.0.1\r\na=fingerprint:${fingerprint}\r\n`;

/**
 * The signaling side of an RTCPeerConnection as the Negotiator uses it: the offer/answer state machine
 * (with the implicit rollback of a local offer when a remote one is applied), candidates, and the two
 * events. Every step it takes is written to `log`.
 */
/** An EventTarget that counts its listeners (`listeners`), so a test can check that none are left behind. */
export class CountingEventTarget extends EventTarget {
  #listeners = 0;

  get listeners(): number {
    return this.#listeners;
  }

  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    this.#listeners++;
    super.addEventListener(...args);
  }

  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    this.#listeners--;
    super.removeEventListener(...args);
  }
}

export class FakePeerConnection extends CountingEventTarget {
  signalingState: 'stable' | 'have-local-offer' | 'have-remote-offer' = 'stable';
  localDescription: Description | null = null;
  remoteDescription: Description | null = null;
  readonly log: string[] = [];
  /** Candidates added, by their candidate line. */
  readonly added: string[] = [];
  readonly fingerprint: string;
  #made = 0;

  constructor(fingerprint = 'sha-256 11:11') {
    super();
    this.fingerprint = fingerprint;
  }

  async setLocalDescription(): Promise<void> {
    await Promise.resolve();
    const type = this.signalingState === 'stable' ? 'offer' : this.signalingState === 'have-remote-offer' ? 'answer' : null;
    if (type === null) {
      throw new DOMException('no description to make in have-local-offer', 'InvalidStateError');
    }
    this.#made++;
    this.localDescription = { type, sdp: sdpWith(this.fingerprint, `${type}-${this.#made}`) };
    this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable';
    this.log.push(`local ${type}`);
  }

  async setRemoteDescription(description: Description): Promise<void> {
    await Promise.resolve();
    if (description.type === 'answer' && this.signalingState !== 'have-local-offer') {
      throw new DOMException(`answer in ${this.signalingState}`, 'InvalidStateError');
    }
    if (description.type === 'offer' && this.signalingState === 'have-local-offer') {
      this.log.push('rollback');
      this.localDescription = null;
    }
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
    this.log.push(`remote ${description.type}`);
  }

  async addIceCandidate(candidate: Candidate): Promise<void> {
    await Promise.resolve();
    if (this.remoteDescription === null) {
      throw new DOMException('no remote description', 'InvalidStateError');
    }
    this.added.push(candidate.candidate);
  }

  /** The browser asks for negotiation (a track was added, for example). */
  needNegotiation(): void {
    this.dispatchEvent(new Event('negotiationneeded'));
  }

  /** ICE gathered a local candidate (null: gathering is complete). */
  gather(line: string | null): void {
    const event = Object.assign(new Event('icecandidate'), {
      candidate: line === null ? null : { toJSON: () => ({ candidate: line, sdpMid: '0', sdpMLineIndex: 0 }) },
    });
    this.dispatchEvent(event);
  }
}

export const candidate = (line: string): SignalData => ({
  kind: 'candidate',
  candidate: { candidate: line, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null },
});

export const description = (type: 'offer' | 'answer', fingerprint = 'sha-256 22:22', id = type): SignalData => ({
  kind: 'description',
  description: { type, sdp: sdpWith(fingerprint, id) },
});
