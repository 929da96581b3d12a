import { spawnSync } from 'node:child_process';
import ndc from 'node-datachannel';
import { applyAnswer } from '../packages/sfu/src/ndc-client.test-util.js';

const AUDIO_SSRC = 0x0b5a_0d10;
const VIDEO_SSRC = 0x0b5a_71de;
const CNAME = 'obs-test';
/** Opus payload types and H.264's, as OBS numbers them. */
const OPUS_PT = 111;
const H264_PT = 96;
/** An Opus packet of 20 ms of silence (RFC 6716 §3.1: TOC 0xf8, CELT fullband 20 ms, mono, one frame). */
const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);

/**
 * A WHIP client that behaves like OBS (its whip-output uses libdatachannel the same way): one connection with an Opus
 * line and an H.264 (packetization-mode 1) line, each declaring its SSRC; the offer goes out once gathering has
 * completed, with every candidate in it (no trickle); the media is packetized by libdatachannel's own handlers, sender
 * reports included.
 */
export class WhipTestClient {
  readonly pc: ndc.PeerConnection;
  readonly states: string[] = [];
  readonly #audio: ndc.Track;
  readonly #video: ndc.Track;
  readonly #audioConfig: ndc.RtpPacketizationConfig;
  readonly #videoConfig: ndc.RtpPacketizationConfig;
  #timers: NodeJS.Timeout[] = [];

  constructor() {
    this.pc = new ndc.PeerConnection('whip-test', { iceServers: [], bindAddress: '127.0.0.1' });
    this.pc.onStateChange((state) => this.states.push(state));
    const audio = new ndc.Audio('0', 'SendOnly');
    audio.addOpusCodec(OPUS_PT);
    audio.addSSRC(AUDIO_SSRC, CNAME, 'obs', 'obs-audio');
    const video = new ndc.Video('1', 'SendOnly');
    video.addH264Codec(H264_PT);
    video.addSSRC(VIDEO_SSRC, CNAME, 'obs', 'obs-video');
    this.#audio = this.pc.addTrack(audio);
    this.#video = this.pc.addTrack(video);
    this.#audioConfig = new ndc.RtpPacketizationConfig(AUDIO_SSRC, CNAME, OPUS_PT, 48_000);
    this.#videoConfig = new ndc.RtpPacketizationConfig(VIDEO_SSRC, CNAME, H264_PT, 90_000);
    const audioChain = new ndc.RtpPacketizer(this.#audioConfig);
    audioChain.addToChain(new ndc.RtcpSrReporter(this.#audioConfig));
    this.#audio.setMediaHandler(audioChain);
    const videoChain = new ndc.H264RtpPacketizer('StartSequence', this.#videoConfig, 1200);
    videoChain.addToChain(new ndc.RtcpSrReporter(this.#videoConfig));
    videoChain.addToChain(new ndc.RtcpNackResponder());
    this.#video.setMediaHandler(videoChain);
  }

  /** The offer once gathering completed, candidates included. */
  offer(): Promise<string> {
    return new Promise((resolve) => {
      this.pc.onGatheringStateChange((state) => {
        if (state === 'complete') {
          resolve(this.pc.localDescription()?.sdp ?? '');
        }
      });
      this.pc.setLocalDescription();
    });
  }

  /**
   * Takes the answer and resolves when both tracks are open. The answer's candidates go in after it (applyAnswer):
   * this client's libdatachannel, under the test machine's load, can refuse them inside the description.
   */
  async connect(answer: string, timeoutMs = 10_000): Promise<void> {
    await applyAnswer(this.pc, answer, () => this.states.join(' → '));
    const open = (track: ndc.Track): Promise<void> =>
      track.isOpen() ? Promise.resolve() : new Promise((resolve) => track.onOpen(resolve));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not connected; states ${this.states.join(' → ')}`)), timeoutMs);
    });
    await Promise.race([Promise.all([open(this.#audio), open(this.#video)]), timeout]).finally(() => clearTimeout(timer));
  }

  /** Sends `frames` (H.264 access units) at 30 fps in a loop, and Opus silence every 20 ms, until close(). */
  stream(frames: readonly Buffer[]): void {
    let frame = 0;
    let audio = 0;
    this.#timers.push(
      setInterval(() => {
        this.#videoConfig.timestamp = (frame * 3000) >>> 0;
        this.#video.sendMessageBinary(frames[frame % frames.length]!);
        frame++;
      }, 33),
      setInterval(() => {
        this.#audioConfig.timestamp = (audio * 960) >>> 0;
        this.#audio.sendMessageBinary(OPUS_SILENCE);
        audio++;
      }, 20),
    );
  }

  /** Stops the media and closes; resolves when libdatachannel reports the connection closed (or after a second). */
  async close(): Promise<void> {
    for (const timer of this.#timers.splice(0)) {
      clearInterval(timer);
    }
    this.#audio.close();
    this.#video.close();
    this.pc.close();
    const deadline = Date.now() + 1000;
    while (!this.states.includes('closed') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** A short 640×360 test clip from ffmpeg, H.264 constrained baseline, a keyframe every 30 frames, no B-frames. */
export function testClip(seconds = 2): Buffer {
  const run = spawnSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=640x360:rate=30:duration=${seconds}`],
      ...['-c:v', 'libx264', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-g', '30', '-bf', '0', '-f', 'h264', '-'],
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.status !== 0) {
    throw new Error(`ffmpeg failed: ${run.stderr.toString()}`);
  }
  return run.stdout;
}

/** An Annex B stream cut into access units: each ends with its one slice (SPS, PPS and SEI go with the next slice). */
export function accessUnits(stream: Buffer): Buffer[] {
  const starts: number[] = [];
  for (let i = 0; i + 3 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      starts.push(i > 0 && stream[i - 1] === 0 ? i - 1 : i);
      i += 2;
    }
  }
  const units: Buffer[] = [];
  let unitStart = 0;
  starts.forEach((start, n) => {
    const header = stream[start + (stream[start + 2] === 1 ? 3 : 4)] ?? 0;
    const type = header & 0x1f;
    if (type === 1 || type === 5) {
      const end = starts[n + 1] ?? stream.length;
      units.push(stream.subarray(unitStart, end));
      unitStart = end;
    }
  });
  return units;
}
