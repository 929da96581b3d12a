/**
 * A two-person call in one Chromium for the LocalMedia scenarios: start it with negotiation counters
 * armed, then check that nothing renegotiated, what the senders carry, and what still flows.
 * Page functions must be self-contained: they are serialized into the page.
 */
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import type { Room } from '@rendezvous/client';
import type { NegotiationCounts } from '../page/probe.js';
import type { LaunchedBrowser } from './browsers.js';
import { joinRoom, leftovers, openPeerPage, waitMediaFlowing } from './peer.js';

/**
 * Chromium's fake capture with three cameras; its microphones are always three (default, 1, 2).
 * fake_device_1 delivers frames in a depth format (Y16; a VideoFrame of it has format null): it opens and
 * reports settings, but WebRTC encodes none of its frames, so a call switched to it sends nothing. Switching mid-call therefore goes to
 * fake_device_2 (MJPEG, decoded to I420).
 */
export const THREE_CAMERAS = '--use-fake-device-for-media-stream=device-count=3';
/** The camera a call switches to (see above). */
export const SWITCH_CAMERA = 'fake_device_2';

export interface Call {
  alice: Page;
  bob: Page;
  aliceId: string;
  /** Negotiation counters of [alice, bob] once media flowed. */
  baseline: NegotiationCounts[];
}

/** Awaits `wait`; on failure says what was being waited for. */
export async function described<T>(what: string, wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export function negotiations(page: Page): Promise<NegotiationCounts> {
  return page.evaluate(() => window.probe.negotiationCounts());
}

/** Alice and Bob (same Chromium) in `room`, media flowing both ways, signaling settled, counters armed. */
export async function startCall(browser: LaunchedBrowser, pagesUrl: string, wsUrl: string, room: string): Promise<Call> {
  const alice = await openPeerPage(browser, pagesUrl);
  const bob = await openPeerPage(browser, pagesUrl);
  for (const page of [alice, bob]) {
    await page.evaluate(() => window.probe.watchNegotiations());
  }
  const aliceId = await joinRoom(alice, wsUrl, room, 'Alice');
  await joinRoom(bob, wsUrl, room, 'Bob');
  await bob.evaluate(() => {
    (window.t['room'] as Room).on('peer-updated', (peer) => window.probe.record('peer-updated', peer.media));
  });
  await Promise.all([waitMediaFlowing(alice, 1), waitMediaFlowing(bob, 1)]);
  for (const page of [alice, bob]) {
    await page.waitForFunction(
      () => window.probe.openConnections().length === 1 && window.probe.onlyConnection().signalingState === 'stable',
      {
        polling: 250,
        timeout: 10_000,
      },
    );
  }
  const baseline = [await negotiations(alice), await negotiations(bob)];
  // Both sides negotiated (on one connection each) before the counters become the baseline.
  for (const counts of baseline) {
    assert.equal(counts.connections, 1);
    assert.ok(counts.localDescriptions >= 1 && counts.remoteDescriptions >= 1, JSON.stringify(counts));
  }
  return { alice, bob, aliceId, baseline };
}

/** No offer/answer, no negotiationneeded, no new connection on either side since the call started. */
export async function assertNoRenegotiation(call: Call, what: string): Promise<void> {
  const now = [await negotiations(call.alice), await negotiations(call.bob)];
  assert.deepEqual(now, call.baseline, `${what} renegotiated: ${JSON.stringify({ before: call.baseline, after: now })}`);
}

export async function endCall(call: Call): Promise<void> {
  for (const page of [call.alice, call.bob]) {
    await page.evaluate(() => (window.t['room'] as Room).leave());
  }
  for (const page of [call.alice, call.bob]) {
    assert.deepEqual(await leftovers(page), { openConnections: 0, liveTracks: 0 });
    await page.close();
  }
}

/** Waits until Alice's camera or microphone sender carries the track `trackId` (null: sends nothing). */
export async function waitSenderTrack(page: Page, kind: 'audio' | 'video', trackId: string | null): Promise<void> {
  const wait = page.waitForFunction(
    (kind, trackId) => {
      const pc = window.probe.openConnections()[0];
      const sender = pc === undefined ? null : window.probe.primarySender(pc, kind);
      return sender !== null && (sender.track?.id ?? null) === trackId;
    },
    { polling: 250, timeout: 10_000 },
    kind,
    trackId,
  );
  await described(`the ${kind} sender never carried track ${trackId}`, wait);
}

/** Waits until Bob sees Alice's announced `field` (audioMuted / videoMuted) equal to `value`. */
export async function waitRemoteMuted(call: Call, field: 'audioMuted' | 'videoMuted', value: boolean): Promise<void> {
  const wait = call.bob.waitForFunction(
    (id, field, value) => (window.t['room'] as Room).peers.get(id)?.media[field] === value,
    { polling: 250, timeout: 10_000 },
    call.aliceId,
    field,
    value,
  );
  await described(`Bob never saw Alice's ${field} = ${value}`, wait);
}

/** Alice's sent bytes of `kind` over a window of `windowMs` that starts `settleMs` from now. */
export function aliceSentGrowth(
  page: Page,
  kind: 'audio' | 'video',
  windowMs: number,
  settleMs = 0,
): Promise<{ start: number; end: number }> {
  return page.evaluate(
    async (kind, windowMs, settleMs) => {
      const peer = [...(window.t['room'] as Room).peers.values()][0]!;
      const field = kind === 'audio' ? 'audioBytes' : 'videoBytes';
      return window.probe.sampleWindow(async () => (await window.probe.outboundCounts(peer))[field], windowMs, settleMs);
    },
    kind,
    windowMs,
    settleMs,
  );
}

/** What Bob receives from Alice (decoded frames, audio bytes) over a window of `windowMs` from `settleMs`. */
export function bobReceivedGrowth(
  call: Call,
  kind: 'audio' | 'video',
  windowMs: number,
  settleMs = 0,
): Promise<{ start: number; end: number }> {
  return call.bob.evaluate(
    async (id, kind, windowMs, settleMs) => {
      const peer = (window.t['room'] as Room).peers.get(id)!;
      const field = kind === 'audio' ? 'audioBytes' : 'framesDecoded';
      return window.probe.sampleWindow(async () => (await window.probe.inboundCounts(peer))[field], windowMs, settleMs);
    },
    call.aliceId,
    kind,
    windowMs,
    settleMs,
  );
}

/** Waits until Bob has decoded `more` video frames (audio: received `more` bytes) from Alice beyond now. */
export async function waitBobReceives(call: Call, kind: 'audio' | 'video', more: number): Promise<void> {
  const read = (id: string, kind: 'audio' | 'video'): Promise<number> =>
    window.probe
      .inboundCounts((window.t['room'] as Room).peers.get(id)!)
      .then((c) => (kind === 'audio' ? c.audioBytes : c.framesDecoded));
  const start = await call.bob.evaluate(read, call.aliceId, kind);
  const wait = call.bob.waitForFunction(
    async (id, kind, target) => {
      const c = await window.probe.inboundCounts((window.t['room'] as Room).peers.get(id)!);
      return (kind === 'audio' ? c.audioBytes : c.framesDecoded) >= target;
    },
    { polling: 250, timeout: 15_000 },
    call.aliceId,
    kind,
    start + more,
  );
  await described(
    `Bob did not receive ${more} more ${kind === 'video' ? 'decoded frames' : 'audio bytes'} (from ${start})`,
    wait,
  );
}
