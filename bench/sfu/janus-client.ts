/**
 * The load's side of Janus: its VideoRoom plugin over the HTTP API (one session, a handle per peer, events by long
 * poll). The publisher joins with one connection carrying audio and video; each subscriber joins, takes Janus's offer
 * and answers it with `start`.
 */
import type ndc from 'node-datachannel';
import type { MediaSink } from './media.js';
import { applyRemote, gathered, newPeer, sendingLine, whenOpen, type Receiver } from './peer.js';
import type { SfuClientSide } from './client-side.js';

interface JanusReply {
  janus: string;
  transaction?: string;
  data?: { id: number };
  plugindata?: { data: Record<string, unknown> };
  jsep?: { type: string; sdp: string };
  error?: { reason: string };
}

const ROOM = 4242;
const PUBLISHER_ID = 1;

class JanusSession {
  #next = 0;
  #waiting = new Map<string, (event: JanusReply) => void>();
  #closed = false;
  constructor(
    readonly url: string,
    readonly id: number,
  ) {
    void this.#poll();
  }

  static async create(baseUrl: string): Promise<JanusSession> {
    const reply = await send(baseUrl, { janus: 'create', transaction: 'create' });
    return new JanusSession(`${baseUrl}/${reply.data!.id}`, reply.data!.id);
  }

  async attach(): Promise<string> {
    const reply = await send(this.url, { janus: 'attach', plugin: 'janus.plugin.videoroom', transaction: this.#tx() });
    return `${this.url}/${reply.data!.id}`;
  }

  /** A plugin request whose answer comes as an event (with a JSEP). */
  async request(handle: string, body: object, jsep?: object): Promise<JanusReply> {
    const transaction = this.#tx();
    const event = new Promise<JanusReply>((resolve) => this.#waiting.set(transaction, resolve));
    const ack = await send(handle, { janus: 'message', body, transaction, ...(jsep === undefined ? {} : { jsep }) });
    if (ack.janus === 'success') {
      this.#waiting.delete(transaction);
      return ack;
    }
    const reply = await event;
    if (reply.plugindata?.data['error'] !== undefined) {
      throw new Error(`janus: ${JSON.stringify(reply.plugindata.data)}`);
    }
    return reply;
  }

  close(): void {
    this.#closed = true;
    void send(this.url, { janus: 'destroy', transaction: this.#tx() }).catch(() => undefined);
  }

  #tx(): string {
    return `t${this.#next++}`;
  }

  async #poll(): Promise<void> {
    while (!this.#closed) {
      try {
        const response = await fetch(`${this.url}?maxev=100&rid=${Date.now()}`);
        const events = (await response.json()) as JanusReply | JanusReply[];
        for (const event of Array.isArray(events) ? events : [events]) {
          const wake = event.transaction === undefined ? undefined : this.#waiting.get(event.transaction);
          if (wake !== undefined && event.janus === 'event') {
            this.#waiting.delete(event.transaction!);
            wake(event);
          }
        }
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

async function send(url: string, message: object): Promise<JanusReply> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(message) });
  const reply = (await response.json()) as JanusReply;
  if (reply.janus === 'error') {
    throw new Error(`janus: ${reply.error?.reason ?? JSON.stringify(reply)}`);
  }
  return reply;
}

export async function janusClientSide(baseUrl: string): Promise<SfuClientSide> {
  const session = await JanusSession.create(baseUrl);
  const admin = await session.attach();
  // The room as the SFU comparison needs it: one publisher, no bitrate cap (no REMB clamp), VP8 and Opus.
  await session.request(admin, {
    request: 'create',
    room: ROOM,
    publishers: 1,
    bitrate: 0,
    fir_freq: 0,
    audiocodec: 'opus',
    videocodec: 'vp8',
    notify_joining: false,
  });
  const pcs: ndc.PeerConnection[] = [];
  return {
    pcs,
    close: () => session.close(),
    async publish(): Promise<MediaSink> {
      const handle = await session.attach();
      const pc = newPeer('pub');
      pcs.push(pc);
      const audio = pc.addTrack(sendingLine('audio', '0'));
      const video = pc.addTrack(sendingLine('video', '1'));
      const offer = await gathered(pc, () => pc.setLocalDescription());
      const reply = await session.request(
        handle,
        { request: 'joinandconfigure', room: ROOM, ptype: 'publisher', id: PUBLISHER_ID, audio: true, video: true },
        { type: 'offer', sdp: offer },
      );
      await applyRemote(pc, reply.jsep!.sdp, 'answer');
      await whenOpen([audio, video]);
      return { video: (p) => video.sendMessageBinary(p), audio: (p) => audio.sendMessageBinary(p) };
    },
    async subscribe(name: string, receiver: Receiver): Promise<void> {
      const handle = await session.attach();
      const joined = await session.request(handle, {
        request: 'join',
        room: ROOM,
        ptype: 'subscriber',
        streams: [{ feed: PUBLISHER_ID }],
      });
      const pc = newPeer(name);
      pcs.push(pc);
      const tracks: ndc.Track[] = [];
      pc.onTrack((track) => {
        tracks.push(track);
        receiver.listen(track);
      });
      try {
        // Read as if Janus wanted to greet first, so this client answers `a=setup:passive` and Janus starts the DTLS
        // handshake, as our SFU's subscribers see it (docs/sfu.md): a libdatachannel peer that greets before Janus
        // is ready waits for its own retransmission, a 1 s stall on every join.
        const offer = joined.jsep!.sdp.replaceAll('a=setup:actpass', 'a=setup:active');
        const answer = await gathered(pc, () => void applyRemote(pc, offer, 'offer'));
        await session.request(handle, { request: 'start' }, { type: 'answer', sdp: answer });
        await whenOpen(tracks);
      } catch (error) {
        pc.close(); // a failed attempt feeds no receiver
        throw error;
      }
    },
  };
}
