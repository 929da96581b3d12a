/** The test page for the PeerJS-style API: the SDK's `Peer` as window.RendezvousPeer, with media probes. */
import { Peer } from '../../packages/client/src/peer/index.js';

interface StatsSource {
  getStats(): Promise<RTCStatsReport | null>;
}

/** Decoded video frames over every inbound video stream of `source`. */
async function framesDecoded(source: StatsSource): Promise<number> {
  const report = await source.getStats();
  let frames = 0;
  report?.forEach((stat: Record<string, unknown>) => {
    if (stat['type'] === 'inbound-rtp' && stat['kind'] === 'video') {
      frames += Number(stat['framesDecoded'] ?? 0);
    }
  });
  return frames;
}

/** True when decoded frames rose over `windowMs` (a measurement window, not a wait for an event). */
async function framesRising(source: StatsSource, windowMs = 1000): Promise<boolean> {
  const before = await framesDecoded(source);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await framesDecoded(source);
  return before > 0 && after > before;
}

function camera(): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 15 }, audio: true });
}

/** Bytes 0..size-1 (mod 251), to check a large message arrived whole. */
function pattern(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    bytes[i] = i % 251;
  }
  return bytes;
}

function isPattern(value: unknown, size: number): boolean {
  const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : value instanceof Uint8Array ? value : null;
  return bytes !== null && bytes.byteLength === size && bytes.every((byte, i) => byte === i % 251);
}

/**
 * The directory signals this page's SDK peers send (`OFFER`, `ANSWER`, `CANDIDATE`, `LEAVE`), in order; an OFFER
 * marked as an ICE restart is `OFFER:restart`. Read off the WebSocket frames the SDK writes.
 */
const sentSignals: string[] = [];
type Send = (this: WebSocket, data: Parameters<WebSocket['send']>[0]) => void;
const send = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'send')?.value as Send;
WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]): void {
  if (typeof data === 'string' && data.includes('"peer-signal"')) {
    const { message } = JSON.parse(data) as { message: { type: string; payload?: { rendezvous?: { restart?: boolean } } } };
    sentSignals.push(message.payload?.rendezvous?.restart === true ? `${message.type}:restart` : message.type);
  }
  send.call(this, data);
};

const api = { Peer, framesDecoded, framesRising, camera, pattern, isPattern, sentSignals };

declare global {
  interface Window {
    RendezvousPeer: typeof api;
    /** Scratch space for objects a test keeps between evaluate calls. */
    t: Record<string, unknown>;
  }
}

window.RendezvousPeer = api;
window.t = {};
