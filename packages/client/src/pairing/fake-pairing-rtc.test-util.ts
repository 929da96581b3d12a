/**
 * Stand-ins for the pairing tests: an RTCPeerConnection as PairedLink uses it (descriptions, ICE gathering the
 * test completes or lets time out, the negotiated message channel as a FakeChannel, transceivers, the events it
 * listens to, counted), a MediaStream, and installing both as globals for one test.
 */
import type { TestContext } from 'node:test';
import { FakeChannel } from '../data/fake-channel.test-util.js';
import { CountingEventTarget } from '../fake-peer-connection.test-util.js';

type Description = { type: 'offer' | 'answer'; sdp: string };
/** `auto`: gathering completes with one host candidate right after setLocalDescription; `manual`: the test says. */
export type Gathering = 'auto' | 'manual';

export const CANDIDATE = 'a=candidate:1 1 udp 2113937151 192.0.2.1 50000 typ host';
/** An SDP line that makes setRemoteDescription fail, as a description the browser cannot use would. */
export const REFUSED = 'a=x-refuse';

export interface FakeTransceiver {
  kind: string;
  direction: RTCRtpTransceiverDirection;
  sender: { track: { kind: string } | null; replaceTrack(track: { kind: string } | null): Promise<void> };
}

export class FakePairingRTC extends CountingEventTarget {
  static made: FakePairingRTC[] = [];
  static gathering: Gathering = 'auto';
  readonly config: RTCConfiguration;
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  iceGatheringState: RTCIceGatheringState = 'new';
  localDescription: Description | null = null;
  remoteDescription: Description | null = null;
  /** The negotiated message channel (id 0), and the channels opened later. */
  messages: FakeChannel | null = null;
  readonly opened: FakeChannel[] = [];
  readonly transceivers: FakeTransceiver[] = [];
  readonly log: string[] = [];
  closed = false;
  #made = 0;

  constructor(config: RTCConfiguration = {}) {
    super();
    this.config = config;
    FakePairingRTC.made.push(this);
  }

  static last(): FakePairingRTC {
    const pc = FakePairingRTC.made.at(-1);
    if (pc === undefined) {
      throw new Error('no RTCPeerConnection made');
    }
    return pc;
  }

  createDataChannel(label: string, init?: RTCDataChannelInit): FakeChannel {
    const channel = new FakeChannel(label, true);
    if (init?.negotiated === true) {
      this.messages = channel;
    } else {
      this.opened.push(channel);
    }
    return channel;
  }

  async setLocalDescription(): Promise<void> {
    await Promise.resolve();
    const type = this.signalingState === 'have-remote-offer' ? 'answer' : 'offer';
    this.localDescription = { type, sdp: `v=0\r\no=- ${++this.#made} 2 IN IP4 127.0.0.1\r\na=mid:0\r\n` };
    this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable';
    this.log.push(`local ${type}`);
    if (this.iceGatheringState === 'new') {
      this.iceGatheringState = 'gathering';
      if (FakePairingRTC.gathering === 'auto') {
        queueMicrotask(() => this.finishGathering());
      }
    }
  }

  async setRemoteDescription(description: Description): Promise<void> {
    await Promise.resolve();
    if (description.sdp.includes(REFUSED)) {
      throw new DOMException('Failed to parse SessionDescription', 'OperationError');
    }
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
    this.log.push(`remote ${description.type}`);
  }

  async addIceCandidate(): Promise<void> {
    await Promise.resolve();
  }

  /** A candidate was found (gathering goes on). */
  trickle(line = CANDIDATE): void {
    if (this.localDescription !== null) {
      this.localDescription = { ...this.localDescription, sdp: `${this.localDescription.sdp}${line}\r\n` };
    }
  }

  /** Gathering completes, with `candidates` host candidates added first. */
  finishGathering(candidates = 1): void {
    for (let i = 0; i < candidates; i++) {
      this.trickle();
    }
    this.iceGatheringState = 'complete';
    this.dispatchEvent(new Event('icegatheringstatechange'));
    this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: null }));
  }

  addTransceiver(track: { kind: string }, init: RTCRtpTransceiverInit): FakeTransceiver {
    const askForNegotiation = (): void => queueMicrotask(() => this.dispatchEvent(new Event('negotiationneeded')));
    const sender: FakeTransceiver['sender'] = {
      track,
      replaceTrack: (next) => {
        sender.track = next;
        return Promise.resolve();
      },
    };
    let direction = init.direction ?? 'sendrecv';
    const transceiver: FakeTransceiver = {
      kind: track.kind,
      sender,
      get direction() {
        return direction;
      },
      // As in browsers, a new direction asks for negotiation.
      set direction(next) {
        direction = next;
        askForNegotiation();
      },
    };
    this.transceivers.push(transceiver);
    askForNegotiation();
    return transceiver;
  }

  close(): void {
    this.closed = true;
    this.connectionState = 'closed';
    this.signalingState = 'closed';
  }

  /** The connection's state changes (e.g. 'disconnected'). */
  setState(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}

/** Joins the message channels of two fake connections and opens them: both sides connect. */
export function link(a: FakePairingRTC, b: FakePairingRTC): void {
  if (a.messages === null || b.messages === null) {
    throw new Error('no message channel');
  }
  a.messages.remote = b.messages;
  b.messages.remote = a.messages;
  a.connectionState = 'connected';
  b.connectionState = 'connected';
  a.messages.open();
}

/** A MediaStream as far as the pairing uses one. */
export class FakeMediaStream {
  readonly #tracks = new Set<MediaStreamTrack>();
  readonly id = `stream-${Math.random().toString(36).slice(2)}`;
  addTrack(track: MediaStreamTrack): void {
    this.#tracks.add(track);
  }
  removeTrack(track: MediaStreamTrack): void {
    this.#tracks.delete(track);
  }
  getTracks(): MediaStreamTrack[] {
    return [...this.#tracks];
  }
  getVideoTracks(): MediaStreamTrack[] {
    return this.getTracks().filter((track) => track.kind === 'video');
  }
}

/** Installs the fakes as RTCPeerConnection and MediaStream for this test (gathering `auto` unless given). */
export function useFakeRtc(t: TestContext, gathering: Gathering = 'auto'): void {
  const saved = { RTCPeerConnection: globalThis.RTCPeerConnection, MediaStream: globalThis.MediaStream };
  FakePairingRTC.made = [];
  FakePairingRTC.gathering = gathering;
  Object.assign(globalThis, { RTCPeerConnection: FakePairingRTC, MediaStream: FakeMediaStream });
  t.after(() => Object.assign(globalThis, saved));
}
