import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Room } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, openPeerPage, waitMediaFlowing } from './harness/peer.js';

/**
 * Issue 6, "limits never cost a legitimate call": six peers in a full mesh restart ICE on every link at
 * once (a full renegotiation: new offers, answers and candidates), and again a second later. The SDK
 * paces its signaling under the limit the server announces, so the server rejects nothing and relays
 * every frame. The server's limit is set low here so that the unpaced traffic of this scenario would
 * cross it (the test checks that too, from the times the SDK was asked to send).
 */
const RATE_PER_SECOND = 10;
const BURST = 40;
const PEERS = ['Ada', 'Grace', 'Linus', 'Margaret', 'Barbara', 'Edsger'];

const fx = useFixture(['chromium'], { rateLimitPerSecond: RATE_PER_SECOND, rateLimitBurst: BURST });

/** One counter of the server's /metrics text (0 when the series is absent). */
async function metric(series: string): Promise<number> {
  const text = await (await fetch(`${fx.server.origin}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** Records when the SDK is asked to send each frame (before any pacing), from the page's first frame on. */
function recordSendRequests(page: Page): Promise<void> {
  return page.evaluate(() => {
    const proto = window.Rendezvous.SignalingClient.prototype;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- wrapped below, and called with the client as `this`
    const send = proto.send;
    const times: number[] = [];
    window.t['sendRequests'] = times;
    proto.send = function (this: unknown, ...args: Parameters<typeof send>) {
      times.push(performance.now());
      return Reflect.apply(send, this, args);
    };
  });
}

/** Frames the server would have dropped had the SDK sent each one the moment it was asked to. */
function unpacedRejections(times: number[]): number {
  let tokens = BURST - 1; // hello took one
  let last = times[0] ?? 0;
  let rejected = 0;
  for (const at of times) {
    tokens = Math.min(BURST, tokens + ((at - last) * RATE_PER_SECOND) / 1000);
    last = at;
    if (tokens < 1) {
      rejected += 1;
    } else {
      tokens -= 1;
    }
  }
  return rejected;
}

/** At wall-clock `at`, restarts ICE on every connection of the page's room. */
function restartAllAt(page: Page, at: number): Promise<void> {
  return page.evaluate((at) => {
    setTimeout(
      () => {
        for (const pc of window.probe.openConnections()) {
          pc.restartIce();
        }
      },
      Math.max(0, at - Date.now()),
    );
  }, at);
}

interface PageCounts {
  sent: number;
  received: number;
  rateLimited: number;
  stable: boolean;
}

function pageCounts(page: Page): Promise<PageCounts> {
  return page.evaluate(() => {
    const { sent, received } = window.probe.socketFrames;
    const peers = [...(window.t['room'] as Room).peers.values()];
    return {
      sent: sent['signal'] ?? 0,
      received: received['signal'] ?? 0,
      rateLimited: received['error:RATE_LIMITED'] ?? 0,
      stable:
        peers.every((peer) => peer.connectionState === 'connected') &&
        window.probe.openConnections().every((pc) => pc.signalingState === 'stable'),
    };
  });
}

/** Waits until no page sends a signal for `quietMs` and every link is connected and stable. */
async function settled(pages: Page[], quietMs: number, timeoutMs: number): Promise<PageCounts[]> {
  const deadline = Date.now() + timeoutMs;
  let lastTotal = -1;
  let quietSince = Date.now();
  for (;;) {
    const counts = await Promise.all(pages.map(pageCounts));
    const total = counts.reduce((sum, c) => sum + c.sent, 0);
    if (total !== lastTotal) {
      lastTotal = total;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs && counts.every((c) => c.stable)) {
      return counts;
    }
    if (Date.now() > deadline) {
      throw new Error(`signaling did not settle: ${JSON.stringify(counts)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250)); // a polling interval, not a wait for an event
  }
}

test('two full 6-party mesh renegotiations one second apart lose no signaling frame', { timeout: 300_000 }, async () => {
  const chromium = browserOf(fx, 'chromium');
  const pages: Page[] = [];
  for (const name of PEERS) {
    const page = await openPeerPage(chromium, fx.pages.url);
    await recordSendRequests(page);
    await joinRoom(page, fx.server.wsUrl, 'pacing-6', name);
    pages.push(page);
  }
  await Promise.all(pages.map((page) => waitMediaFlowing(page, PEERS.length - 1, { timeout: 120_000 })));
  await settled(pages, 1500, 60_000);
  const before = await Promise.all(pages.map(pageCounts));

  const at = Date.now() + 500;
  await Promise.all(pages.map((page) => restartAllAt(page, at)));
  await Promise.all(pages.map((page) => restartAllAt(page, at + 1000)));
  const after = await settled(pages, 2000, 150_000);
  await Promise.all(pages.map((page) => waitMediaFlowing(page, PEERS.length - 1, { timeout: 60_000 })));

  const renegotiationFrames = after.reduce((sum, c, i) => sum + c.sent - (before[i]?.sent ?? 0), 0);
  const times = await Promise.all(pages.map((page) => page.evaluate(() => window.t['sendRequests'] as number[])));
  const wouldReject = times.reduce((sum, t) => sum + unpacedRejections(t), 0);
  const sent = after.reduce((sum, c) => sum + c.sent, 0);
  const received = after.reduce((sum, c) => sum + c.received, 0);
  const relayed = await metric('rendezvous_signaling_messages_total{type="signal"}');
  const rejected = await metric('rendezvous_signaling_rejected_frames_total{code="RATE_LIMITED"}');
  console.log(
    `pacing: ${renegotiationFrames} signal frames in the two renegotiations; ${sent} sent, ${relayed} relayed, ` +
      `${received} received in all; unpaced, the server would have rejected ${wouldReject}; it rejected ${rejected}`,
  );
  assert.ok(renegotiationFrames > 2 * BURST, 'the renegotiations sent more than the burst allows at once');
  assert.ok(wouldReject > 0, 'sent as fast as asked, these frames would cross the server limit');
  assert.equal(rejected, 0, 'the server rejected no frame with RATE_LIMITED');
  assert.equal(
    after.reduce((sum, c) => sum + c.rateLimited, 0),
    0,
    'no page saw RATE_LIMITED',
  );
  assert.equal(relayed, sent, 'every signal frame the pages sent was relayed');
  assert.equal(received, sent, 'every signal frame the pages sent was received');
  for (const page of pages) {
    await page.close();
  }
});
