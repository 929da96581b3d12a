import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Room, VideoCodecName } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, openPeerPage, waitMediaFlowing } from './harness/peer.js';

const fx = useFixture(['chromium', 'firefox']);

/** The codecs this page's browser can both send and receive (the SDK's `supportedVideoCodecs`). */
function supported(page: Page): Promise<VideoCodecName[]> {
  return page.evaluate(() => {
    const sdk = window.Rendezvous as unknown as { supportedVideoCodecs?: () => VideoCodecName[] };
    if (sdk.supportedVideoCodecs === undefined) {
      throw new Error('@rendezvous/client does not export supportedVideoCodecs');
    }
    return sdk.supportedVideoCodecs();
  });
}

/** The room's codec choice (RoomOptions.videoCodec at join, `room.setVideoCodec` later). */
async function choose(page: Page, codec: VideoCodecName): Promise<void> {
  await page.evaluate((codec) => {
    const room = window.t['room'] as Room & { setVideoCodec?: (codec: VideoCodecName | null) => void };
    if (room.setVideoCodec === undefined) {
      throw new Error('Room has no setVideoCodec');
    }
    room.setVideoCodec(codec);
  }, codec);
}

/** Waits until this page's stats name `codec` for the video it receives and the video it sends. */
async function statsShow(page: Page, codec: VideoCodecName): Promise<void> {
  await page.waitForFunction(
    async (codec) => {
      const peer = [...(window.t['room'] as Room).peers.values()][0];
      if (peer === undefined) {
        return false;
      }
      const { codecs } = await peer.getStats();
      return codecs.videoIn === codec && codecs.videoOut === codec;
    },
    { polling: 500, timeout: 20_000 },
    codec,
  );
}

async function call(first: 'chromium' | 'firefox', second: 'chromium' | 'firefox', room: string): Promise<[Page, Page]> {
  const a = await openPeerPage(browserOf(fx, first), fx.pages.url);
  const b = await openPeerPage(browserOf(fx, second), fx.pages.url);
  await joinRoom(a, fx.server.wsUrl, room, 'A');
  await joinRoom(b, fx.server.wsUrl, room, 'B');
  await Promise.all([waitMediaFlowing(a, 1), waitMediaFlowing(b, 1)]);
  return [a, b];
}

async function hangUp(pages: Page[]): Promise<void> {
  for (const page of pages) {
    await page.evaluate(() => (window.t['room'] as Room).leave());
    await page.close();
  }
}

test('choosing VP9, then H.264, on both sides: both sides stats show it (chromium ↔ chromium)', async (t) => {
  const [a, b] = await call('chromium', 'chromium', 'codec-cc');
  await Promise.all([statsShow(a, 'VP8'), statsShow(b, 'VP8')]); // the browsers' default, so a change is seen
  // A preference orders what a side receives (the codec the other side sends to it): each side chooses.
  await choose(a, 'VP9');
  await choose(b, 'VP9');
  await Promise.all([statsShow(a, 'VP9'), statsShow(b, 'VP9')]);
  const both = (await supported(a)).filter((c) => c === 'H264');
  if (both.length === 0) {
    t.diagnostic('this Chromium has no H.264: that half is skipped');
  } else {
    await choose(a, 'H264');
    await choose(b, 'H264');
    await Promise.all([statsShow(a, 'H264'), statsShow(b, 'H264')]);
  }
  await hangUp([a, b]);
});

for (const codec of ['VP8', 'VP9'] as const) {
  test(`choosing ${codec} on both sides: both stats show it (chromium ↔ firefox)`, async (t) => {
    const [a, b] = await call('chromium', 'firefox', `codec-cf-${codec}`);
    const common = (await supported(a)).filter((c) => c === codec);
    if (common.length === 0 || !(await supported(b)).includes(codec)) {
      t.skip(`${codec} is not supported by both browsers`);
      await hangUp([a, b]);
      return;
    }
    await Promise.all([choose(a, codec), choose(b, codec)]);
    await Promise.all([statsShow(a, codec), statsShow(b, codec)]);
    await hangUp([a, b]);
  });
}
