/**
 * The load's libdatachannel peers: connection helpers, and the receiving side that counts stamped packets for the
 * current measurement window and records their one-way delay.
 */
import { performance } from 'node:perf_hooks';
import ndc from 'node-datachannel';
import { AUDIO_PT, AUDIO_SSRC, readStamp, VIDEO_PT, VIDEO_SSRC } from './media.js';

/** Where the load's connections bind: 127.0.0.2 in the bench's namespace (see netns.ts), else 127.0.0.1. */
export const MEDIA_ADDRESS = process.env['BENCH_SFU_MEDIA_ADDRESS'] ?? '127.0.0.1';

/** What every receiver of one load process counts into. */
export class Tally {
  /** Packets of the window [from, to) of the publisher's numbering. */
  from = Number.POSITIVE_INFINITY;
  to = Number.POSITIVE_INFINITY;
  readonly delays: number[] = [];
  /** The publisher's index of each packet in `delays`. */
  readonly indices: number[] = [];
  /** Delays kept: every `stride`-th packet of the window, so the sample stays a few hundred thousand long. */
  stride = 1;
  #seen = 0;

  open(from: number, to: number, stride: number): void {
    this.from = from;
    this.to = to;
    this.stride = stride;
    this.delays.length = 0;
    this.indices.length = 0;
    this.#seen = 0;
  }

  record(receiver: Receiver, index: number, sentAt: number): void {
    if (index >= this.from && index < this.to) {
      receiver.inWindow++;
      if (this.#seen++ % this.stride === 0) {
        this.delays.push(performance.now() - sentAt);
        this.indices.push(index);
      }
    }
  }
}

export class Receiver {
  inWindow = 0;
  /**
   * The tracks it listens to, held here: node-datachannel stops calling a Track's `onMessage` once the Track's JS
   * object is collected, even though its connection lives on (a subscriber went quiet mid-run after a GC).
   */
  readonly #tracks: ndc.Track[] = [];
  constructor(private readonly tally: Tally) {}

  onPacket(packet: Buffer): void {
    const s = readStamp(packet);
    if (s !== null) {
      this.tally.record(this, s.index, s.sentAt);
    }
  }

  listen(track: ndc.Track): void {
    this.#tracks.push(track);
    track.onMessage((packet) => this.onPacket(packet));
  }
}

export function newPeer(name: string): ndc.PeerConnection {
  return new ndc.PeerConnection(name, { iceServers: [], bindAddress: MEDIA_ADDRESS });
}

/** The local description once gathering completed (candidates inside), after `start` set it off. */
export function gathered(pc: ndc.PeerConnection, start: () => void): Promise<string> {
  return new Promise((resolve) => {
    pc.onGatheringStateChange((state) => {
      if (state === 'complete') {
        resolve(pc.localDescription()?.sdp ?? '');
      }
    });
    start();
  });
}

/** Sets a remote description, its candidates inside. */
export function applyRemote(pc: ndc.PeerConnection, sdp: string, type: 'offer' | 'answer'): Promise<void> {
  pc.setRemoteDescription(sdp, type);
  return Promise.resolve();
}

export function whenOpen(tracks: ndc.Track[], timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tracks did not open in time')), timeoutMs);
    let left = tracks.length;
    const one = () => {
      if (--left === 0) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (const track of tracks) {
      if (track.isOpen()) {
        one();
      } else {
        track.onOpen(one);
      }
    }
  });
}

export function sendingLine(kind: 'audio' | 'video', mid: string): ndc.Audio | ndc.Video {
  const media = kind === 'audio' ? new ndc.Audio(mid, 'SendOnly') : new ndc.Video(mid, 'SendOnly');
  if (media instanceof ndc.Audio) {
    media.addOpusCodec(AUDIO_PT);
    media.addSSRC(AUDIO_SSRC, 'bench', 'bench-stream', 'bench-audio');
  } else {
    media.addVideoCodec(VIDEO_PT, 'VP8');
    media.addSSRC(VIDEO_SSRC, 'bench', 'bench-stream', 'bench-video');
  }
  return media;
}

export function receivingLine(kind: 'audio' | 'video', mid: string): ndc.Audio | ndc.Video {
  const media = kind === 'audio' ? new ndc.Audio(mid, 'RecvOnly') : new ndc.Video(mid, 'RecvOnly');
  if (media instanceof ndc.Audio) {
    media.addOpusCodec(AUDIO_PT);
  } else {
    media.addVideoCodec(VIDEO_PT, 'VP8');
  }
  return media;
}

/** Closes peers and waits (up to a second) for libdatachannel to report them closed. */
export async function closeAll(pcs: ndc.PeerConnection[]): Promise<void> {
  const closed = pcs.map(
    (pc) =>
      new Promise<void>((resolve) => {
        if (pc.state() === 'closed') {
          return resolve();
        }
        pc.onStateChange((state) => state === 'closed' && resolve());
        setTimeout(resolve, 1000);
      }),
  );
  for (const pc of pcs) {
    pc.close();
  }
  await Promise.all(closed);
}
