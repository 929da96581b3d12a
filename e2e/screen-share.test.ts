import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { LocalMedia, Room } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, openPeerPage, recordedEvents, waitMediaFlowing } from './harness/peer.js';

const fx = useFixture(['chromium', 'firefox']);

/** What the sharing side's connection sends the screen with. */
interface SenderView {
  contentHint: string;
  hasAudio: boolean;
  maxBitrate: number | null;
  degradationPreference: string | null;
}

/** Shares a test pattern with a tone as its "system audio" (what getDisplayMedia gives with audio). */
async function startSharing(page: Page): Promise<SenderView> {
  return page.evaluate(async () => {
    const media = (window.t['room'] as Room).media as LocalMedia;
    const context = new AudioContext();
    const oscillator = context.createOscillator();
    const destination = context.createMediaStreamDestination();
    oscillator.connect(destination);
    oscillator.start();
    const screen = await media.startScreenShare(
      new MediaStream([window.probe.patternTrack(640, 360), ...destination.stream.getAudioTracks()]),
    );
    const sender = window.probe
      .onlyConnection()
      .getSenders()
      .find((s) => s.track === screen);
    const params = sender?.getParameters();
    return {
      contentHint: screen.contentHint,
      hasAudio: (media as LocalMedia & { screenAudioTrack: MediaStreamTrack | null }).screenAudioTrack !== null,
      maxBitrate: params?.encodings[0]?.maxBitrate ?? null,
      degradationPreference: params?.degradationPreference ?? null,
    };
  });
}

/** Decoded screen frames and received screen audio both rise, and the screen stream carries both. */
async function screenFlowing(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => {
      const peer = [...(window.t['room'] as Room).peers.values()][0];
      const video = peer?.screen?.getVideoTracks()[0];
      const audio = peer?.screen?.getAudioTracks()[0];
      if (peer === undefined || video === undefined || audio === undefined) {
        return false;
      }
      const read = async (): Promise<[number, number]> => {
        let frames = 0;
        let audioBytes = 0;
        for (const report of (await peer.getStats()).raw) {
          report.forEach((s: Record<string, unknown>) => {
            if (s['type'] === 'inbound-rtp' && s['trackIdentifier'] === video.id) {
              frames += Number(s['framesDecoded'] ?? 0);
            }
            if (s['type'] === 'inbound-rtp' && s['trackIdentifier'] === audio.id) {
              audioBytes += Number(s['bytesReceived'] ?? 0);
            }
          });
        }
        return [frames, audioBytes];
      };
      const before = await read();
      await new Promise((resolve) => setTimeout(resolve, 700));
      const after = await read();
      return before[0] > 0 && after[0] > before[0] && before[1] > 0 && after[1] > before[1];
    },
    { polling: 250, timeout: 30_000 },
  );
}

for (const receiver of ['chromium', 'firefox'] as const) {
  test(`a screen with its audio reaches the other side beside the camera; the browser's stop ends it (chromium → ${receiver})`, async () => {
    const a = await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url);
    const b = await openPeerPage(browserOf(fx, receiver), fx.pages.url);
    const room = `screen-${receiver}`;
    await joinRoom(a, fx.server.wsUrl, room, 'A');
    await joinRoom(b, fx.server.wsUrl, room, 'B');
    await Promise.all([waitMediaFlowing(a, 1), waitMediaFlowing(b, 1)]);
    await b.evaluate(() => {
      (window.t['room'] as Room).on('screen', (_peer, stream) =>
        window.probe.record(
          'screen',
          stream === null
            ? null
            : stream
                .getTracks()
                .map((t) => t.kind)
                .sort(),
        ),
      );
    });

    const sent = await startSharing(a);
    assert.deepEqual(sent, {
      contentHint: 'detail',
      hasAudio: true,
      maxBitrate: 2_500_000,
      degradationPreference: 'maintain-resolution',
    });
    await screenFlowing(b);
    await waitMediaFlowing(b, 1); // the camera and microphone still arrive
    const [started] = await recordedEvents<string[] | null>(b, 'screen', 1);
    assert.deepEqual(started?.entry, ['audio', 'video']);
    await b.waitForFunction(() => [...(window.t['room'] as Room).peers.values()][0]?.media.screenSharing === true, {
      polling: 100,
      timeout: 10_000,
    });

    // The browser's own "stop sharing" ends the capture track.
    await a.evaluate(() => ((window.t['room'] as Room).media as LocalMedia).screenTrack?.dispatchEvent(new Event('ended')));
    const after = await a.evaluate(() => {
      const media = (window.t['room'] as Room).media as LocalMedia & { screenAudioTrack: MediaStreamTrack | null };
      return { sharing: media.state.screenSharing, screen: media.screenTrack, audio: media.screenAudioTrack };
    });
    assert.deepEqual(after, { sharing: false, screen: null, audio: null });
    const events = await recordedEvents<string[] | null>(b, 'screen', 2);
    assert.equal(events[1]?.entry, null);
    await b.waitForFunction(() => [...(window.t['room'] as Room).peers.values()][0]?.media.screenSharing === false, {
      polling: 100,
      timeout: 10_000,
    });
    await waitMediaFlowing(b, 1);
    for (const page of [a, b]) {
      await page.evaluate(() => (window.t['room'] as Room).leave());
      await page.close();
    }
  });
}
