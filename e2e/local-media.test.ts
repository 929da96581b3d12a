/**
 * LocalMedia in real browsers: constraints, device lists, switching devices and muting mid-call without
 * renegotiation, typed capture errors, and stop().
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { LocalMedia, Room } from '@rendezvous/client';
import type { NegotiationCounts } from './page/probe.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, launchBrowser, type LaunchedBrowser } from './harness/browsers.js';
import { useFixture } from './harness/fixture.js';
import { joinRoom, leftovers, openPeerPage, waitMediaFlowing } from './harness/peer.js';

/**
 * Chromium's fake capture with three cameras; its microphones are always three (default, 1, 2).
 * fake_device_1 delivers frames in a depth format (Y16; a VideoFrame of it has format null): it opens and
 * reports settings, but WebRTC encodes none of its frames, so a call switched to it sends nothing. Switching mid-call therefore goes to
 * fake_device_2 (MJPEG, decoded to I420).
 */
const THREE_CAMERAS = '--use-fake-device-for-media-stream=device-count=3';
/** The camera a call switches to (see above). */
const SWITCH_CAMERA = 'fake_device_2';
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

// ---- helpers (page functions must be self-contained: they are serialized into the page) ----

interface Call {
  alice: Page;
  bob: Page;
  aliceId: string;
  /** Negotiation counters of [alice, bob] once media flowed. */
  baseline: NegotiationCounts[];
}

/** Awaits `wait`; on failure says what was being waited for. */
async function described<T>(what: string, wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function negotiations(page: Page): Promise<NegotiationCounts> {
  return page.evaluate(() => window.probe.negotiationCounts());
}

/** Alice and Bob (same Chromium) in `room`, media flowing both ways, signaling settled, counters armed. */
async function startCall(room: string): Promise<Call> {
  const alice = await openPeerPage(chromium, fx.pages.url);
  const bob = await openPeerPage(chromium, fx.pages.url);
  for (const page of [alice, bob]) await page.evaluate(() => window.probe.watchNegotiations());
  const aliceId = await joinRoom(alice, fx.server.wsUrl, room, 'Alice');
  await joinRoom(bob, fx.server.wsUrl, room, 'Bob');
  await bob.evaluate(() => {
    (window.t['room'] as Room).on('peer-updated', (peer) => window.probe.record('peer-updated', peer.media));
  });
  await Promise.all([waitMediaFlowing(alice, 1), waitMediaFlowing(bob, 1)]);
  for (const page of [alice, bob]) {
    await page.waitForFunction(() => [...(window.t['room'] as Room).peers.values()][0]?.link.pc.signalingState === 'stable', {
      polling: 250,
      timeout: 10_000,
    });
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
async function assertNoRenegotiation(call: Call, what: string): Promise<void> {
  const now = [await negotiations(call.alice), await negotiations(call.bob)];
  assert.deepEqual(now, call.baseline, `${what} renegotiated: ${JSON.stringify({ before: call.baseline, after: now })}`);
}

async function endCall(call: Call): Promise<void> {
  for (const page of [call.alice, call.bob]) await page.evaluate(() => (window.t['room'] as Room).leave());
  for (const page of [call.alice, call.bob]) {
    assert.deepEqual(await leftovers(page), { openConnections: 0, liveTracks: 0 });
    await page.close();
  }
}

/** Waits until Alice's camera or microphone sender carries the track `trackId` (null: sends nothing). */
async function waitSenderTrack(page: Page, kind: 'audio' | 'video', trackId: string | null): Promise<void> {
  const wait = page.waitForFunction(
    (kind, trackId) => {
      const pc = [...(window.t['room'] as Room).peers.values()][0]?.link.pc;
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
async function waitRemoteMuted(call: Call, field: 'audioMuted' | 'videoMuted', value: boolean): Promise<void> {
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
function aliceSentGrowth(page: Page, kind: 'audio' | 'video', windowMs: number, settleMs = 0): Promise<{ start: number; end: number }> {
  return page.evaluate(
    async (kind, windowMs, settleMs) => {
      const pc = [...(window.t['room'] as Room).peers.values()][0]!.link.pc;
      const field = kind === 'audio' ? 'audioBytes' : 'videoBytes';
      return window.probe.sampleWindow(async () => (await window.probe.outboundCounts(pc))[field], windowMs, settleMs);
    },
    kind,
    windowMs,
    settleMs,
  );
}

/** What Bob receives from Alice (decoded frames, audio bytes) over a window of `windowMs` from `settleMs`. */
function bobReceivedGrowth(call: Call, kind: 'audio' | 'video', windowMs: number, settleMs = 0): Promise<{ start: number; end: number }> {
  return call.bob.evaluate(
    async (id, kind, windowMs, settleMs) => {
      const pc = (window.t['room'] as Room).peers.get(id)!.link.pc;
      const field = kind === 'audio' ? 'audioBytes' : 'framesDecoded';
      return window.probe.sampleWindow(async () => (await window.probe.inboundCounts(pc))[field], windowMs, settleMs);
    },
    call.aliceId,
    kind,
    windowMs,
    settleMs,
  );
}

/** Waits until Bob has decoded `more` video frames (audio: received `more` bytes) from Alice beyond now. */
async function waitBobReceives(call: Call, kind: 'audio' | 'video', more: number): Promise<void> {
  const read = (id: string, kind: 'audio' | 'video'): Promise<number> =>
    window.probe.inboundCounts((window.t['room'] as Room).peers.get(id)!.link.pc).then((c) => (kind === 'audio' ? c.audioBytes : c.framesDecoded));
  const start = await call.bob.evaluate(read, call.aliceId, kind);
  const wait = call.bob.waitForFunction(
    async (id, kind, target) => {
      const c = await window.probe.inboundCounts((window.t['room'] as Room).peers.get(id)!.link.pc);
      return (kind === 'audio' ? c.audioBytes : c.framesDecoded) >= target;
    },
    { polling: 250, timeout: 15_000 },
    call.aliceId,
    kind,
    start + more,
  );
  await described(`Bob did not receive ${more} more ${kind === 'video' ? 'decoded frames' : 'audio bytes'} (from ${start})`, wait);
}

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

// ---- tests ----

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
    for (const media of [wide, small, exact]) media.stop();
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
  assert.deepEqual(cameras.map((d) => d.label), ['fake_device_0', 'fake_device_1', 'fake_device_2']);
  assert.ok(mics.length >= 2, `microphones: ${JSON.stringify(mics)}`);
  assert.ok(mics.some((d) => d.label === 'Fake Default Audio Input'), JSON.stringify(mics));
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
  assert.ok(hidden.some((d) => d.kind === 'videoinput'), JSON.stringify(hidden));
  assert.ok(hidden.every((d) => d.label === '' && d.deviceId === ''), JSON.stringify(hidden));
  await denied.close();
});

test('switchDevice mid-call swaps camera and microphone with replaceTrack: no renegotiation, media keeps flowing', async () => {
  const call = await startCall('local-media-switch');
  const { alice } = call;

  for (const kind of ['video', 'audio'] as const) {
    const switched = await alice.evaluate(async (kind, camera) => {
      const { LocalMedia } = window.Rendezvous;
      const media = (window.t['room'] as Room).media!;
      const deviceKind = kind === 'video' ? 'videoinput' : 'audioinput';
      const old = kind === 'video' ? media.videoTrack! : media.audioTrack!;
      const current = old.getSettings().deviceId;
      // Another device: the encodable second camera, or a microphone other than the current and "default".
      const target = (await LocalMedia.listDevices())
        .filter((d) => d.kind === deviceKind && d.deviceId !== current && d.deviceId !== 'default')
        .filter((d) => kind === 'audio' || d.label === camera)
        .map((d) => d.deviceId)
        .pop();
      if (target === undefined) throw new Error(`no second ${deviceKind}`);
      await media.switchDevice(deviceKind, target);
      const fresh = kind === 'video' ? media.videoTrack : media.audioTrack;
      return {
        oldId: old.id,
        oldState: old.readyState,
        target,
        newId: fresh?.id ?? null,
        newState: fresh?.readyState ?? null,
        settingsDeviceId: media.settings(deviceKind)?.deviceId ?? null,
        inStream: media.stream.getTracks().filter((t) => t.kind === kind).map((t) => t.id),
      };
    }, kind, SWITCH_CAMERA);
    assert.ok(switched.newId !== null && switched.newId !== switched.oldId, `${kind}: the track was not replaced`);
    assert.equal(switched.oldState, 'ended', `${kind}: the old track is still live`);
    assert.equal(switched.newState, 'live');
    assert.equal(switched.settingsDeviceId, switched.target, `${kind}: settings() names another device`);
    assert.deepEqual(switched.inStream, [switched.newId], `${kind}: the preview stream was not updated`);

    await waitSenderTrack(alice, kind, switched.newId);
    // The encoder now reads the new track, and Bob keeps receiving on the same receiver.
    // (getStats() may lag replaceTrack() by a moment, hence a wait rather than one read.)
    const sourceIs = alice.waitForFunction(
      async (kind, trackId) => {
        const pc = [...(window.t['room'] as Room).peers.values()][0]!.link.pc;
        const counts = await window.probe.outboundCounts(pc);
        const sources = kind === 'video' ? counts.videoSources : counts.audioSources;
        return sources.length === 1 && sources[0] === trackId;
      },
      { polling: 250, timeout: 5_000 },
      kind,
      switched.newId,
    );
    await described(`${kind}: the outbound stream never read the new track`, sourceIs);
    await waitBobReceives(call, kind, kind === 'video' ? 15 : 4000);
    await assertNoRenegotiation(call, `switchDevice(${kind})`);
  }
  await endCall(call);
});

test('muting stops sending (not just flags it), peers see it, unmuting resumes, none of it renegotiates', async () => {
  const call = await startCall('local-media-mute');
  const { alice } = call;
  const ids = await alice.evaluate(() => {
    const media = (window.t['room'] as Room).media!;
    window.t['camera'] = media.videoTrack;
    return { audio: media.audioTrack!.id, video: media.videoTrack!.id };
  });

  // Control: the measurement sees audio going out while unmuted.
  const live = await aliceSentGrowth(alice, 'audio', 1000);
  assert.ok(live.end > live.start && live.start > 0, `audio not flowing before mute: ${JSON.stringify(live)}`);

  // ---- microphone ----
  await alice.evaluate(() => (window.t['room'] as Room).media!.setAudioMuted(true));
  await waitSenderTrack(alice, 'audio', null);
  await waitRemoteMuted(call, 'audioMuted', true);
  const [audioMutedSent, audioMutedReceived] = await Promise.all([
    aliceSentGrowth(alice, 'audio', 1200, 500),
    bobReceivedGrowth(call, 'audio', 1200, 500),
  ]);
  assert.equal(audioMutedSent.end, audioMutedSent.start, `audio still sent while muted: ${JSON.stringify(audioMutedSent)}`);
  assert.equal(audioMutedReceived.end, audioMutedReceived.start, `Bob still receives audio: ${JSON.stringify(audioMutedReceived)}`);
  const micWhileMuted = await alice.evaluate(() => {
    const media = (window.t['room'] as Room).media!;
    return { state: media.audioTrack?.readyState, muted: media.state.audioMuted };
  });
  assert.deepEqual(micWhileMuted, { state: 'live', muted: true }, 'the microphone stays open locally while muted');

  await alice.evaluate(() => (window.t['room'] as Room).media!.setAudioMuted(false));
  await waitSenderTrack(alice, 'audio', ids.audio);
  await waitRemoteMuted(call, 'audioMuted', false);
  const audioBack = await aliceSentGrowth(alice, 'audio', 1000);
  assert.ok(audioBack.end > audioBack.start, `audio not sent after unmute: ${JSON.stringify(audioBack)}`);
  await waitBobReceives(call, 'audio', 4000);
  await assertNoRenegotiation(call, 'setAudioMuted');

  // ---- camera ----
  await alice.evaluate(() => (window.t['room'] as Room).media!.setVideoMuted(true));
  const cameraWhileMuted = await alice.evaluate(() => {
    const media = (window.t['room'] as Room).media!;
    return {
      oldState: (window.t['camera'] as MediaStreamTrack).readyState,
      videoTrack: media.videoTrack?.id ?? null,
      muted: media.state.videoMuted,
      live: window.probe.leftovers().liveTracks,
    };
  });
  assert.deepEqual(cameraWhileMuted, { oldState: 'ended', videoTrack: null, muted: true, live: 1 }, 'camera light still on');
  await waitSenderTrack(alice, 'video', null);
  await waitRemoteMuted(call, 'videoMuted', true);
  const [videoMutedSent, videoMutedDecoded] = await Promise.all([
    aliceSentGrowth(alice, 'video', 1200, 500),
    bobReceivedGrowth(call, 'video', 1200, 500),
  ]);
  assert.equal(videoMutedSent.end, videoMutedSent.start, `video still sent while muted: ${JSON.stringify(videoMutedSent)}`);
  assert.equal(videoMutedDecoded.end, videoMutedDecoded.start, `Bob still decodes video: ${JSON.stringify(videoMutedDecoded)}`);

  await alice.evaluate(() => (window.t['room'] as Room).media!.setVideoMuted(false));
  const reopened = await alice.evaluate(() => {
    const track = (window.t['room'] as Room).media!.videoTrack;
    return { id: track?.id ?? null, state: track?.readyState ?? null };
  });
  assert.ok(reopened.id !== null && reopened.id !== ids.video, 'unmuting did not open a new camera track');
  assert.equal(reopened.state, 'live');
  await waitSenderTrack(alice, 'video', reopened.id);
  await waitRemoteMuted(call, 'videoMuted', false);
  await waitBobReceives(call, 'video', 15);
  await assertNoRenegotiation(call, 'setVideoMuted');

  // Bob heard about every change through peer-updated.
  const updates = await call.bob.evaluate(() =>
    ((window.t['events'] as Record<string, Array<{ entry: { audioMuted: boolean; videoMuted: boolean } }>>)['peer-updated'] ?? []).map(
      (e) => `${e.entry.audioMuted ? 'A' : 'a'}${e.entry.videoMuted ? 'V' : 'v'}`,
    ),
  );
  assert.deepEqual(updates, ['Av', 'av', 'aV', 'av']);
  await endCall(call);
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
