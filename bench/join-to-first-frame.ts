/**
 * Join to first decoded remote frame, Chromium on loopback: Rendezvous (hello, join, offer/answer and
 * trickled candidates through /ws, perfect negotiation) beside the bare floor (two RTCPeerConnections
 * in one page, signaling by function call). Runs alternate, so machine noise hits both alike.
 */
import type { Page } from 'puppeteer-core';
import { launchBrowser } from '../e2e/harness/browsers.js';
import { startPageServer } from '../e2e/harness/page-server.js';
import { openPeerPage } from '../e2e/harness/peer.js';
import { startTestServer } from '../e2e/harness/server.js';
import { summarize, type Summary } from './stats.js';

async function rendezvousRun(host: Page, guest: Page, wsUrl: string, room: string): Promise<number> {
  await host.evaluate(
    async (wsUrl, room) => {
      const { LocalMedia, Room } = window.Rendezvous;
      const media = await LocalMedia.open({ audio: true, video: { width: 320, height: 240, frameRate: 30 } });
      window.t['room'] = await Room.join(wsUrl, room, { displayName: 'host', media });
    },
    wsUrl,
    room,
  );
  const elapsed = await guest.evaluate(
    async (wsUrl, room) => {
      const { LocalMedia, Room } = window.Rendezvous;
      const media = await LocalMedia.open({ audio: true, video: { width: 320, height: 240, frameRate: 30 } });
      const started = performance.now();
      const joined = await Room.join(wsUrl, room, { displayName: 'guest', media });
      window.t['room'] = joined;
      for (;;) {
        const peer = [...joined.peers.values()][0];
        if (peer !== undefined && (await window.probe.inboundCounts(peer)).framesDecoded > 0) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return performance.now() - started;
    },
    wsUrl,
    room,
  );
  for (const page of [guest, host]) {
    await page.evaluate(() => (window.t['room'] as { leave(): Promise<void> }).leave());
  }
  return elapsed;
}

async function floorRun(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 30 } });
    const started = performance.now();
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
    b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
    for (const track of stream.getTracks()) {
      a.addTrack(track, stream);
    }
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription!);
    while ((await window.probe.inboundCounts(b)).framesDecoded === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const elapsed = performance.now() - started;
    a.close();
    b.close();
    for (const track of stream.getTracks()) {
      track.stop();
    }
    return elapsed;
  });
}

export interface JoinToFirstFrameResult {
  rendezvous: Summary;
  floor: Summary;
  ratio: number;
}

export async function joinToFirstFrame(runs = 20): Promise<JoinToFirstFrameResult> {
  const server = await startTestServer();
  const pages = await startPageServer();
  const chromium = await launchBrowser('chromium');
  try {
    const host = await openPeerPage(chromium, pages.url);
    const guest = await openPeerPage(chromium, pages.url);
    // One warm-up of each, not counted: the first getUserMedia and codec set-up are slower.
    await floorRun(guest);
    await rendezvousRun(host, guest, server.wsUrl, 'warm-up');
    const ours: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < runs; i++) {
      floor.push(await floorRun(guest));
      ours.push(await rendezvousRun(host, guest, server.wsUrl, `bench-${i}`));
    }
    const result = { rendezvous: summarize(ours), floor: summarize(floor), ratio: 0 };
    result.ratio = result.rendezvous.p50 / result.floor.p50;
    return result;
  } finally {
    await chromium.close();
    await pages.close();
    await server.close();
  }
}
