import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Room } from '@rendezvous/client';
import type { IceServer } from '@rendezvous/protocol';
import type { StatsSample, StatsSampler } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, openPeerPage, waitMediaFlowing } from './harness/peer.js';

// TURN on a free port, loopback peers allowed (every relayed address here is 127.0.0.1).
const fx = useFixture(['chromium', 'firefox'], {
  turn: true,
  turnHost: '127.0.0.1',
  turnPort: 0,
  turnAllowPeers: ['127.0.0.0/8'],
});

/** Starts the SDK's stats sampler over the page's room (its peers are what it samples). */
async function startSampler(page: Page): Promise<void> {
  await page.evaluate(() => {
    const room = window.t['room'] as Room;
    const sdk = window.Rendezvous as unknown as { StatsSampler?: typeof StatsSampler };
    if (sdk.StatsSampler === undefined) {
      throw new Error('@rendezvous/client does not export StatsSampler');
    }
    window.t['sampler'] = new sdk.StatsSampler(() => room.peers.values(), { intervalMs: 1000 });
  });
}

/** Waits for a sample of the one remote peer in which every charted value has a reading. */
async function fullSample(page: Page): Promise<StatsSample> {
  const handle = await page.waitForFunction(
    () => {
      const room = window.t['room'] as Room;
      const sampler = window.t['sampler'] as StatsSampler;
      const peerId = [...room.peers.keys()][0];
      const s = peerId === undefined ? null : sampler.latest(peerId);
      const complete =
        s !== null &&
        (s.bitrateIn ?? 0) > 0 &&
        (s.bitrateOut ?? 0) > 0 &&
        s.packetsLost !== null &&
        s.rttMs !== null &&
        (s.videoIn?.framesPerSecond ?? 0) > 0 &&
        (s.videoIn?.width ?? 0) > 0 &&
        s.codecs.videoIn !== null &&
        s.codecs.audioIn !== null &&
        s.pair?.localType !== null &&
        s.quality !== null;
      return complete ? s : false;
    },
    { polling: 500, timeout: 30_000 },
  );
  return (await handle.jsonValue()) as StatsSample;
}

async function exportedSamples(page: Page): Promise<number> {
  return page.evaluate(() => {
    const exported = JSON.parse(JSON.stringify(window.t['sampler'])) as ReturnType<StatsSampler['toJSON']>;
    return exported.peers[0]?.samples.length ?? 0;
  });
}

async function closeAll(pages: Page[]): Promise<void> {
  for (const page of pages) {
    await page.evaluate(() => {
      (window.t['sampler'] as StatsSampler).close();
      return (window.t['room'] as Room).leave();
    });
    await page.close();
  }
}

for (const [first, second] of [
  ['chromium', 'chromium'],
  ['chromium', 'firefox'],
] as const) {
  test(`live stats on loopback read real values and a host pair (${first} ↔ ${second})`, async () => {
    const a = await openPeerPage(browserOf(fx, first), fx.pages.url);
    const b = await openPeerPage(browserOf(fx, second), fx.pages.url);
    const room = `stats-${first}-${second}`;
    await joinRoom(a, fx.server.wsUrl, room, 'A', { useServerIceServers: false });
    await joinRoom(b, fx.server.wsUrl, room, 'B', { useServerIceServers: false });
    await Promise.all([waitMediaFlowing(a, 1), waitMediaFlowing(b, 1)]);
    await Promise.all([startSampler(a), startSampler(b)]);
    for (const page of [a, b]) {
      const sample = await fullSample(page);
      assert.equal(sample.pair?.localType, 'host');
      assert.equal(sample.pair?.path, 'host');
      assert.equal(sample.pair?.protocol, 'udp');
      assert.ok(sample.quality === 'excellent' || sample.quality === 'good', `loopback quality: ${sample.quality}`);
      assert.ok((await exportedSamples(page)) >= 2, 'the JSON export holds the history');
    }
    await closeAll([a, b]);
  });
}

test('forced relay-only, the stats read a relay pair', async () => {
  const iceServers: IceServer[] = fx.server.turn?.iceServers(undefined, 'e2e') ?? [];
  const turn = iceServers.find((s) => s.username !== undefined);
  assert.ok(turn !== undefined, 'the server hands out TURN credentials');
  const urls = (Array.isArray(turn.urls) ? turn.urls : [turn.urls]).filter((url) => url.endsWith('transport=udp'));
  const rtcConfig: RTCConfiguration = {
    iceTransportPolicy: 'relay',
    iceServers: [{ urls, username: turn.username!, credential: turn.credential! }],
  };
  const chromium = browserOf(fx, 'chromium');
  const a = await openPeerPage(chromium, fx.pages.url);
  const b = await openPeerPage(chromium, fx.pages.url);
  await joinRoom(a, fx.server.wsUrl, 'stats-relay', 'A', { rtcConfig, useServerIceServers: false });
  await joinRoom(b, fx.server.wsUrl, 'stats-relay', 'B', { rtcConfig, useServerIceServers: false });
  await Promise.all([waitMediaFlowing(a, 1, { timeout: 45_000 }), waitMediaFlowing(b, 1, { timeout: 45_000 })]);
  await Promise.all([startSampler(a), startSampler(b)]);
  for (const page of [a, b]) {
    const sample = await fullSample(page);
    assert.equal(sample.pair?.localType, 'relay');
    assert.equal(sample.pair?.path, 'relay');
    assert.equal(sample.pair?.relayProtocol ?? 'udp', 'udp');
  }
  await closeAll([a, b]);
});
