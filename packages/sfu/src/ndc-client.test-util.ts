import ndc from 'node-datachannel';

/** A libdatachannel peer playing a client of the SFU in tests: it offers, takes the answer, and records packets. */
export class TestClient {
  readonly pc: ndc.PeerConnection;
  readonly tracks = new Map<string, ndc.Track>();
  readonly received = new Map<string, Buffer[]>();
  /** The connection's states, in order. */
  readonly states: string[] = [];
  #waiters: (() => void)[] = [];
  #onState: (() => void)[] = [];

  constructor(name: string) {
    this.pc = new ndc.PeerConnection(name, { iceServers: [], bindAddress: '127.0.0.1' });
    this.pc.onStateChange((state) => {
      this.states.push(state);
      for (const wake of this.#onState.splice(0)) {
        wake();
      }
    });
  }

  /** Adds a media line: `kind`, `direction`, codecs as [payload type, name] (and an SSRC for a sending line). */
  addLine(
    mid: string,
    kind: 'audio' | 'video',
    direction: 'SendOnly' | 'RecvOnly',
    codecs: [number, string][],
    ssrc?: number,
  ): void {
    const media = kind === 'audio' ? new ndc.Audio(mid, direction) : new ndc.Video(mid, direction);
    for (const [pt, name] of codecs) {
      if (media instanceof ndc.Audio) {
        media.addOpusCodec(pt);
      } else {
        media.addVideoCodec(pt, name);
      }
    }
    if (ssrc !== undefined) {
      media.addSSRC(ssrc, 'test-cname', 'test-stream', `test-${mid}`);
    }
    const track = this.pc.addTrack(media);
    this.tracks.set(mid, track);
    this.received.set(mid, []);
    track.onMessage((packet) => {
      this.received.get(mid)?.push(Buffer.from(packet));
      for (const wake of this.#waiters.splice(0)) {
        wake();
      }
    });
  }

  /** The offer, once this side gathered its candidates. */
  offer(): Promise<string> {
    return new Promise((resolve) => {
      this.pc.onGatheringStateChange((state) => {
        if (state === 'complete') {
          // Without its candidates, as a browser offers before gathering: the server learns this side from its checks.
          resolve(
            (this.pc.localDescription()?.sdp ?? '')
              .split('\r\n')
              .filter((line) => !line.startsWith('a=candidate:'))
              .join('\r\n'),
          );
        }
      });
      this.pc.setLocalDescription();
    });
  }

  /**
   * Takes the answer (see applyAnswer) and resolves when every line's track is open and the connection reported
   * `connected` (libdatachannel delivers the two callbacks in either order).
   */
  async connect(answer: string): Promise<void> {
    await applyAnswer(this.pc, answer, () => this.states.join(' → '));
    await Promise.all(
      [...this.tracks.values()].map((track) =>
        track.isOpen() ? Promise.resolve() : new Promise<void>((resolve) => track.onOpen(resolve)),
      ),
    );
    while (!this.states.includes('connected')) {
      await new Promise<void>((resolve) => this.#onState.push(resolve));
    }
  }

  /** Resolves when `predicate` holds for what line `mid` received (checked on each packet). */
  async until(mid: string, predicate: (packets: Buffer[]) => boolean, timeoutMs = 5000): Promise<Buffer[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const packets = this.received.get(mid) ?? [];
      if (predicate(packets)) {
        return packets;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting on line ${mid} (${packets.length} packets)`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(mid: string, packet: Buffer): boolean {
    return this.tracks.get(mid)?.sendMessageBinary(packet) ?? false;
  }

  /** Closes the connection; resolves when libdatachannel reports it closed (or after a second). */
  async close(): Promise<void> {
    for (const track of this.tracks.values()) {
      track.close();
    }
    this.pc.close();
    const deadline = Date.now() + 1000;
    while (!this.states.includes('closed') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** An RTP packet (RFC 3550 §5.1) with a `size`-byte payload. */
export function rtpPacket(pt: number, seq: number, timestamp: number, ssrc: number, size = 100, marker = false): Buffer {
  const packet = Buffer.alloc(12 + size, 0xab);
  packet[0] = 0x80;
  packet[1] = (marker ? 0x80 : 0) | pt;
  packet.writeUInt16BE(seq & 0xffff, 2);
  packet.writeUInt32BE(timestamp >>> 0, 4);
  packet.writeUInt32BE(ssrc >>> 0, 8);
  return packet;
}

/** The SSRC an SDP declares for line `mid`. */
export function declaredSsrc(sdp: string, mid: string): number {
  const section = sdp.split(/\r?\nm=/).find((part) => part.includes(`a=mid:${mid}\r`) || part.includes(`a=mid:${mid}\n`)) ?? '';
  const match = /a=ssrc:(\d+)/.exec(section);
  return match === null ? 0 : Number(match[1]);
}

/**
 * Sets `answer` on a libdatachannel client, its candidates added after it: under load libdatachannel can refuse a
 * description with candidates ("Got a remote candidate without ICE transport") while its ICE transport is not up, so
 * each candidate is offered again every 10 ms, up to a second. `states` describes the connection for the error.
 */
export async function applyAnswer(pc: ndc.PeerConnection, answer: string, states: () => string): Promise<void> {
  const lines = answer.split('\r\n');
  const candidates: [string, string][] = [];
  let mid = '';
  for (const line of lines) {
    mid = line.startsWith('a=mid:') ? line.slice(6) : mid;
    if (line.startsWith('a=candidate:')) {
      candidates.push([line.slice(2), mid]);
    }
  }
  const bare = lines.filter((line) => !line.startsWith('a=candidate:') && line !== 'a=end-of-candidates');
  pc.setRemoteDescription(bare.join('\r\n'), 'answer');
  for (const [candidate, lineMid] of candidates) {
    for (let attempt = 0; ; attempt++) {
      try {
        pc.addRemoteCandidate(candidate, lineMid);
        break;
      } catch (error) {
        if (attempt >= 100) {
          throw new Error(`candidate refused after states ${states()}`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }
}
