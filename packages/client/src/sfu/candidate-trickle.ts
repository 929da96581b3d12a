import type { ClientMessageInput } from '@rendezvous/protocol';

type Target = { source: 'audio' | 'video' | 'screen' | 'screenAudio' } | { peerId: string; group: 'camera' | 'screen' };

/**
 * Sends a connection's ICE candidates to the server as `sfu-candidate`: those gathered before the server answered
 * (and so had a connection to give them to) wait until `ready()`. Listens until `close()`.
 */
export class CandidateTrickle {
  readonly #pc: RTCPeerConnection;
  readonly #target: Target;
  readonly #send: (message: ClientMessageInput) => void;
  #held: RTCIceCandidateInit[] | null = [];

  constructor(pc: RTCPeerConnection, target: Target, send: (message: ClientMessageInput) => void) {
    this.#pc = pc;
    this.#target = target;
    this.#send = send;
    pc.addEventListener('icecandidate', this.#onCandidate);
  }

  /** The server holds the connection now: send what was held, and each later candidate at once. */
  ready(): void {
    const held = this.#held ?? [];
    this.#held = null;
    for (const candidate of held) {
      this.#emit(candidate);
    }
  }

  close(): void {
    this.#pc.removeEventListener('icecandidate', this.#onCandidate);
    this.#held = [];
  }

  readonly #onCandidate = (event: RTCPeerConnectionIceEvent): void => {
    if (event.candidate === null || event.candidate.candidate === '') {
      return;
    }
    const candidate = event.candidate.toJSON();
    if (this.#held !== null) {
      this.#held.push(candidate);
    } else {
      this.#emit(candidate);
    }
  };

  #emit(candidate: RTCIceCandidateInit): void {
    this.#send({
      type: 'sfu-candidate',
      ...this.#target,
      candidate: {
        candidate: candidate.candidate ?? '',
        sdpMid: candidate.sdpMid ?? null,
        sdpMLineIndex: candidate.sdpMLineIndex ?? null,
        usernameFragment: candidate.usernameFragment ?? null,
      },
    });
  }
}
