/**
 * LocalMedia in real browsers: constraints, device lists and their change events, typed capture errors,
 * and stop(). Switching and muting mid-call are in media-switch-mute.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { LocalMedia } from '@rendezvous/client';
import { CHROMIUM_ARGS, CHROMIUM_PATH, launchBrowser, type LaunchedBrowser } from './harness/browsers.js';
import { useFixture } from './harness/fixture.js';
import { THREE_CAMERAS } from './harness/media-call.js';
import { leftovers, openPeerPage } from './harness/peer.js';

/** Resolves this name to the page server, so the page loads from a plain-http, non-localhost origin. */
const INSECURE_HOST = 'insecure.test';

const fx = useFixture([]);
let chromium: LaunchedBrowser;
let firefox: LaunchedBrowser;
/** Chromium that never grants capture: no fake permission UI, prompts denied. Fake devices stay on. */
let restricted: { browser: Browser; profile: string } | undefined;

before(async () => {
  const profile = mkdtempSync(join(tmpdir(), 'rendezvous-chromium-restricted-'));
  const args = [
    ...CHROMIUM_ARGS.filter((arg) => arg !== '--use-fake-ui-for-media-stream'),
    '--deny-permission-prompts',
    `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`,
  ];
  const launched = await Promise.all([
    launchBrowser('chromium', [THREE_CAMERAS]),
    launchBrowser('firefox'),
    puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, userDataDir: profile, args }),
  ]);
  [chromium, firefox] = launched;
  restricted = { browser: launched[2], profile };
});

after(async () => {
  await chromium?.close();
  await firefox?.close();
  if (restricted !== undefined) {
    await restricted.browser.close().catch(() => undefined);
    rmSync(restricted.profile, { recursive: true, force: true });
  }
});

/** Rejection code (or 'resolved') of LocalMedia.open(constraints) in `page`; stops tracks if it opened. */
function openError(page: Page, constraints: unknown): Promise<{ code: string; isRendezvousError: boolean; cause: string }> {
  return page.evaluate(async (constraints) => {
    const { LocalMedia, RendezvousError } = window.Rendezvous;
    try {
      const media = await LocalMedia.open(constraints as Parameters<typeof LocalMedia.open>[0]);
      media.stop();
      return { code: 'resolved', isRendezvousError: false, cause: '' };
    } catch (error) {
      const cause = (error as { cause?: { name?: string } }).cause;
      return {
        code: String((error as { code?: unknown }).code),
        isRendezvousError: error instanceof RendezvousError,
        cause: cause?.name ?? '',
      };
    }
  }, constraints);
}

test('open() applies width, height and frame rate, passes facingMode, and opens the exact camera asked for', async () => {
  const page = await openPeerPage(chromium, fx.pages.url);
  const result = await page.evaluate(async () => {
    const { LocalMedia } = window.Rendezvous;
    const read = (media: LocalMedia) => {
      const track = media.videoTrack!;
      const s = track.getSettings();
      return {
        track: { width: s.width, height: s.height, frameRate: s.frameRate, deviceId: s.deviceId },
        sdk: media.settings('video'),
        constraints: track.getConstraints() as Record<string, unknown>,
        hasAudio: media.audioTrack !== null,
      };
    };
    const wide = await LocalMedia.open({ video: { width: 640, height: 360, frameRate: 15, facingMode: 'user' } });
    const small = await LocalMedia.open({ video: { width: 320, height: 240, frameRate: 10 } });
    const cameras = (await LocalMedia.listDevices()).filter((d) => d.kind === 'videoinput').map((d) => d.deviceId);
    const defaultCamera = wide.settings('video')?.deviceId;
    const other = cameras.filter((id) => id !== defaultCamera).pop() ?? '';
    const exact = await LocalMedia.open({ video: { deviceId: other } });
    const out = { wide: read(wide), small: read(small), exact: read(exact), cameras, other };
    for (const media of [wide, small, exact]) {
      media.stop();
    }
    return out;
  });
  // The fake camera natively gives 640x480 at 20 fps: these sizes and rates come from the constraints.
  assert.deepEqual(
    { width: result.wide.track.width, height: result.wide.track.height, frameRate: result.wide.track.frameRate },
    { width: 640, height: 360, frameRate: 15 },
  );
  assert.deepEqual(
    { width: result.small.track.width, height: result.small.track.height, frameRate: result.small.track.frameRate },
    { width: 320, height: 240, frameRate: 10 },
  );
  assert.equal(result.wide.hasAudio, false, 'audio was not asked for');
  // settings() reports what the track reports.
  assert.deepEqual(result.wide.sdk, { label: 'fake_device_0', ...result.wide.track });
  // facingMode reached getUserMedia as a preference (Chromium echoes an ideal value as a bare one).
  const facing = result.wide.constraints['facingMode'];
  assert.equal(typeof facing === 'object' && facing !== null ? (facing as { ideal?: unknown }).ideal : facing, 'user');
  // deviceId is passed as an exact constraint and the second camera is the one that opened.
  assert.equal(result.cameras.length, 3);
  assert.notEqual(result.other, '');
  assert.deepEqual(result.exact.constraints['deviceId'], { exact: result.other });
  assert.equal(result.exact.sdk?.deviceId, result.other);
  assert.equal(result.exact.sdk?.label, 'fake_device_2');
  assert.deepEqual(await leftovers(page), { openConnections: 0, liveTracks: 0 });
  await page.close();
});

test('listDevices() lists the fake cameras and microphones with labels once capture was allowed; device changes are announced', async () => {
  const page = await openPeerPage(chromium, fx.pages.url);
  const devices = await page.evaluate(async () => {
    const { LocalMedia } = window.Rendezvous;
    const media = await LocalMedia.open({ audio: true, video: true });
    const list = await LocalMedia.listDevices();
    media.stop();
    return list.map((d) => ({ kind: d.kind, deviceId: d.deviceId, label: d.label }));
  });
  const cameras = devices.filter((d) => d.kind === 'videoinput');
  const mics = devices.filter((d) => d.kind === 'audioinput');
  assert.deepEqual(
    cameras.map((d) => d.label),
    ['fake_device_0', 'fake_device_1', 'fake_device_2'],
  );
  assert.ok(mics.length >= 2, `microphones: ${JSON.stringify(mics)}`);
  assert.ok(
    mics.some((d) => d.label === 'Fake Default Audio Input'),
    JSON.stringify(mics),
  );
  for (const device of [...cameras, ...mics]) {
    assert.notEqual(device.label, '', `${device.kind} has no label`);
    assert.notEqual(device.deviceId, '', `${device.kind} ${device.label} has no id`);
  }
  assert.equal(new Set(devices.map((d) => `${d.kind}/${d.deviceId}`)).size, devices.length, 'device ids repeat');

  // A device change (plugging a headset in) reaches both the static listener and an open LocalMedia's
  // 'devices' event, with the fresh list; unsubscribing stops it.
  const changes = await page.evaluate(async () => {
    const { LocalMedia } = window.Rendezvous;
    const media = await LocalMedia.open({ audio: true, video: false });
    const seen: string[] = [];
    const viaEvent = new Promise<number>((resolve) => media.on('devices', (list) => resolve(list.length)));
    const viaStatic = new Promise<number>((resolve) => {
      const off = LocalMedia.onDevicesChanged((list) => {
        seen.push('static');
        off();
        resolve(list.length);
      });
    });
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    const [eventCount, staticCount] = await Promise.all([viaEvent, viaStatic]);
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    await LocalMedia.listDevices(); // lets a second (unwanted) delivery land first
    media.stop();
    return { eventCount, staticCount, staticCalls: seen.length };
  });
  assert.equal(changes.eventCount, devices.length);
  assert.equal(changes.staticCount, devices.length);
  assert.equal(changes.staticCalls, 1, 'an unsubscribed listener is not called again');
  await page.close();

  // Without a grant the same fake devices are listed with no labels (and no ids).
  const denied = await restricted!.browser.newPage();
  await denied.goto(fx.pages.url);
  await denied.waitForFunction(() => window.Rendezvous !== undefined, { polling: 250, timeout: 10_000 });
  const hidden = await denied.evaluate(async () =>
    (await window.Rendezvous.LocalMedia.listDevices()).map((d) => ({ kind: d.kind, deviceId: d.deviceId, label: d.label })),
  );
  assert.ok(
    hidden.some((d) => d.kind === 'videoinput'),
    JSON.stringify(hidden),
  );
  assert.ok(
    hidden.every((d) => d.label === '' && d.deviceId === ''),
    JSON.stringify(hidden),
  );
  await denied.close();
});

test('capture failures reject with typed errors: PERMISSION_DENIED, INSECURE_CONTEXT, CONSTRAINT_NOT_SATISFIED', async () => {
  const browser = restricted!.browser;
  const port = new URL(fx.pages.url).port;

  // A secure origin where the prompt is answered "no".
  const denied = await browser.newPage();
  await denied.goto(fx.pages.url);
  await denied.waitForFunction(() => window.Rendezvous !== undefined, { polling: 250, timeout: 10_000 });
  assert.equal(await denied.evaluate(() => isSecureContext && navigator.mediaDevices !== undefined), true);
  assert.deepEqual(await openError(denied, { audio: true, video: true }), {
    code: 'PERMISSION_DENIED',
    isRendezvousError: true,
    cause: 'NotAllowedError',
  });
  await denied.close();

  // Plain http on a name that is not localhost: no secure context, no navigator.mediaDevices.
  const insecure = await browser.newPage();
  await insecure.goto(`http://${INSECURE_HOST}:${port}/`);
  await insecure.waitForFunction(() => window.Rendezvous !== undefined, { polling: 250, timeout: 10_000 });
  assert.deepEqual(await insecure.evaluate(() => [isSecureContext, typeof navigator.mediaDevices]), [false, 'undefined']);
  assert.deepEqual(await openError(insecure, { video: true }), { code: 'INSECURE_CONTEXT', isRendezvousError: true, cause: '' });
  const listed = await insecure.evaluate(() =>
    window.Rendezvous.LocalMedia.listDevices().then(
      () => 'resolved',
      (error: { code?: string }) => error.code,
    ),
  );
  assert.equal(listed, 'INSECURE_CONTEXT');
  await insecure.close();

  // A device id nobody has: OverconstrainedError naming deviceId, i.e. CONSTRAINT_NOT_SATISFIED (media-errors.ts).
  const expected = { code: 'CONSTRAINT_NOT_SATISFIED', isRendezvousError: true, cause: 'OverconstrainedError' };
  const page = await openPeerPage(chromium, fx.pages.url);
  assert.deepEqual(await openError(page, { video: { deviceId: 'no-such-device' } }), expected);
  assert.deepEqual(await openError(page, { audio: { deviceId: 'no-such-device' }, video: true }), expected);
  assert.deepEqual(await leftovers(page), { openConnections: 0, liveTracks: 0 });
  await page.close();

  // Firefox maps the same failure to the same code.
  const fxPage = await openPeerPage(firefox, fx.pages.url);
  assert.deepEqual(await openError(fxPage, { video: { deviceId: 'no-such-device' } }), expected);
  assert.deepEqual(await openError(fxPage, { audio: { deviceId: 'no-such-device' } }), expected);
  await fxPage.close();
});

test('stop() ends every track LocalMedia ever held (after a switch and a camera mute), and further use is refused', async () => {
  const page = await openPeerPage(chromium, fx.pages.url);
  const result = await page.evaluate(async () => {
    const { LocalMedia } = window.Rendezvous;
    const media = await LocalMedia.open({ audio: true, video: { width: 320, height: 240 } });
    const cameras = (await LocalMedia.listDevices()).filter((d) => d.kind === 'videoinput').map((d) => d.deviceId);
    const chosen = cameras.find((id) => id !== media.settings('video')?.deviceId)!;
    await media.switchDevice('videoinput', chosen);
    await media.setVideoMuted(true);
    await media.setVideoMuted(false);
    const reopenedSame = media.settings('video')?.deviceId === chosen;
    const held = media.stream.getTracks();
    const beforeStop = window.probe.leftovers().liveTracks;
    media.stop();
    media.stop();
    const refused = await media.setAudioMuted(false).then(
      () => 'resolved',
      (error: { code?: string }) => error.code,
    );
    return {
      captured: window.probe.capturedTracks.length,
      beforeStop,
      held: held.length,
      states: window.probe.capturedTracks.map((t) => t.readyState),
      after: window.probe.leftovers(),
      tracks: [media.audioTrack, media.videoTrack, media.stream.getTracks().length],
      state: media.state,
      refused,
      reopenedSame,
    };
  });
  assert.equal(result.reopenedSame, true, 'unmuting the camera did not reopen the camera switched to');
  assert.equal(result.beforeStop, 2, 'a microphone and one camera were live before stop()');
  assert.equal(result.held, 2);
  assert.equal(result.captured, 4, 'open (mic + camera), switch, unmute');
  assert.deepEqual(result.states, ['ended', 'ended', 'ended', 'ended']);
  assert.deepEqual(result.after, { openConnections: 0, liveTracks: 0 });
  assert.deepEqual(result.tracks, [null, null, 0]);
  assert.deepEqual(result.state, { audioMuted: true, videoMuted: true, screenSharing: false });
  assert.equal(result.refused, 'INVALID_STATE');
  await page.close();
});

test('an empty LocalMedia captures nothing until unmuted, then opens devices with its settings; a released mic is closed', async () => {
  const page = await openPeerPage(chromium, fx.pages.url);
  const result = await page.evaluate(async () => {
    const { LocalMedia } = window.Rendezvous;
    const media = LocalMedia.fromStream(new MediaStream(), { video: { width: 640, height: 360 } });
    const before = { captured: window.probe.capturedTracks.length, state: media.state };
    await media.setVideoMuted(false);
    await media.setAudioMuted(false);
    const opened = { size: [media.settings('video')?.width, media.settings('video')?.height], live: window.probe.leftovers() };
    const mic = media.audioTrack;
    await media.setAudioMuted(true, { release: true });
    const released = { mic: mic?.readyState, track: media.audioTrack, state: media.state, live: window.probe.leftovers() };
    await media.setAudioMuted(false);
    const reopened = { live: mic !== media.audioTrack && media.audioTrack?.readyState === 'live' };
    media.stop();
    return { before, opened, released, reopened, after: window.probe.leftovers() };
  });
  assert.deepEqual(result.before, { captured: 0, state: { audioMuted: true, videoMuted: true, screenSharing: false } });
  assert.deepEqual(result.opened.size, [640, 360]);
  assert.equal(result.opened.live.liveTracks, 2);
  assert.deepEqual(result.released, {
    mic: 'ended',
    track: null,
    state: { audioMuted: true, videoMuted: false, screenSharing: false },
    live: { openConnections: 0, liveTracks: 1 },
  });
  assert.deepEqual(result.reopened, { live: true });
  assert.deepEqual(result.after, { openConnections: 0, liveTracks: 0 });
  await page.close();
});
