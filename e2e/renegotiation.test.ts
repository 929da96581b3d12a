import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Room } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, openPeerPage, waitMediaFlowing } from './harness/peer.js';

const fx = useFixture(['chromium', 'firefox']);

/** Both pages start sharing a screen-like track at the same wall-clock instant. */
async function shareAt(page: Page, at: number): Promise<void> {
  await page.evaluate((at) => {
    const room = window.t['room'] as Room;
    room.on('screen', (peer, stream) => window.probe.record('screen', [peer.peerId, stream?.id ?? null]));
    setTimeout(
      () => {
        const media = room.media;
        if (media === null || media === undefined) {
          throw new Error('room has no media');
        }
        void media.startScreenShare(window.probe.patternTrack());
      },
      Math.max(0, at - Date.now()),
    );
  }, at);
}

async function screenFramesRising(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => {
      const room = window.t['room'] as Room;
      const peer = [...room.peers.values()][0];
      const track = peer?.screen?.getVideoTracks()[0];
      if (peer === undefined || track === undefined) {
        return false;
      }
      const before = await window.probe.framesForTrack(peer, track.id);
      await new Promise((resolve) => setTimeout(resolve, 700));
      const after = await window.probe.framesForTrack(peer, track.id);
      return after > before && before > 0 && window.probe.onlyConnection().signalingState === 'stable';
    },
    { polling: 250, timeout: 45_000 },
  );
}

for (const [first, second] of [
  ['chromium', 'chromium'],
  ['chromium', 'firefox'],
] as const) {
  test(`both sides renegotiating at the same moment converge (${first} ↔ ${second})`, async () => {
    const a = await openPeerPage(browserOf(fx, first), fx.pages.url);
    const b = await openPeerPage(browserOf(fx, second), fx.pages.url);
    const room = `glare-${first}-${second}`;
    await joinRoom(a, fx.server.wsUrl, room, 'A');
    await joinRoom(b, fx.server.wsUrl, room, 'B');
    await Promise.all([waitMediaFlowing(a, 1, { timeout: 45_000 }), waitMediaFlowing(b, 1, { timeout: 45_000 })]);

    const at = Date.now() + 400;
    await Promise.all([shareAt(a, at), shareAt(b, at)]);
    await Promise.all([screenFramesRising(a), screenFramesRising(b)]);
    // Camera and microphone still flow after the collision.
    await Promise.all([waitMediaFlowing(a, 1), waitMediaFlowing(b, 1)]);
    for (const page of [a, b]) {
      const state = await page.evaluate(() => window.probe.onlyConnection().signalingState);
      assert.equal(state, 'stable');
    }
    for (const page of [a, b]) {
      await page.close();
    }
  });
}
