/**
 * A stand-in RTCPeerConnection for the Peer tests: the offer/answer state machine, candidates, data channels
 * (FakeChannel, opened by the test), the events a ConnectionLink listens to, and a log of what was done.
 */
import { FakeChannel } from '../data/fake-channel.test-util.js';
import { CountingEventTarget } from '../fake-peer-connection.test-util.js';

type Description = { type: 'offer' | 'answer'; sdp: string };

export class FakeRTC extends CountingEventTarget {
  static made: FakeRTC[] = [];
  readonly config: RTCConfiguration;
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: Description | null = null;
  remoteDescription: Description | null = null;
  readonly log: string[] = [];
  /** Channels this side made (createDataChannel), and the ends it was handed (remoteChannel). */
  readonly channels: FakeChannel[] = [];
  readonly received: FakeChannel[] = [];
  #made = 0;

  constructor(config: RTCConfiguration = {}) {
    super();
    this.config = config;
    FakeRTC.made.push(this);
  }

  static last(): FakeRTC {
    const pc = FakeRTC.made[FakeRTC.made.length - 1];
    if (pc === undefined) {
      throw new Error('no RTCPeerConnection made');
    }
    return pc;
  }

  createOffer(options?: RTCOfferOptions): Promise<Description> {
    this.log.push(options?.iceRestart === true ? 'offer restart' : 'offer');
    return Promise.resolve({ type: 'offer', sdp: `v=0 offer ${++this.#made}` });
  }

  createAnswer(): Promise<Description> {
    this.log.push('answer');
    return Promise.resolve({ type: 'answer', sdp: `v=0 answer ${++this.#made}` });
  }

  async setLocalDescription(description: Description): Promise<void> {
    await Promise.resolve();
    this.localDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-local-offer' : 'stable';
  }

  async setRemoteDescription(description: Description): Promise<void> {
    await Promise.resolve();
    if (description.sdp.includes('refuse')) {
      throw new DOMException('bad sdp', 'OperationError');
    }
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
    this.log.push(`remote ${description.type}`);
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    await Promise.resolve();
    this.log.push(`candidate ${candidate.candidate ?? ''}`);
  }

  restartIce(): void {
    this.log.push('restartIce');
  }

  createDataChannel(label: string): FakeChannel {
    const [local] = FakeChannel.pair(label);
    this.channels.push(local);
    return local;
  }

  addTrack(track: { kind: string }): void {
    this.log.push(`track ${track.kind}`);
  }

  getStats(): Promise<Map<string, unknown>> {
    return Promise.resolve(new Map<string, unknown>());
  }

  close(): void {
    this.connectionState = 'closed';
    this.signalingState = 'closed';
    this.log.push('close');
  }

  /** The connection's state changes (e.g. 'failed'). */
  setState(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }

  /** The remote side opened a data channel. */
  remoteChannel(label: string): FakeChannel {
    const [, remote] = FakeChannel.pair(label);
    this.received.push(remote);
    this.dispatchEvent(Object.assign(new Event('datachannel'), { channel: remote }));
    return remote;
  }
}
