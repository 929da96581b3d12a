/**
 * LocalMedia mid-call: switching camera and microphone, and muting, use replaceTrack and never
 * renegotiate; muting really stops sending and peers are told.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Room } from '@rendezvous/client';
import { launchBrowser, type LaunchedBrowser } from './harness/browsers.js';
import { useFixture } from './harness/fixture.js';
import {
  SWITCH_CAMERA,
  THREE_CAMERAS,
  aliceSentGrowth,
  assertNoRenegotiation,
  bobReceivedGrowth,
  described,
  endCall,
  startCall,
  waitBobReceives,
  waitRemoteMuted,
  waitSenderTrack,
} from './harness/media-call.js';

const fx = useFixture([]);
let chromium: LaunchedBrowser;

before(async () => {
  chromium = await launchBrowser('chromium', [THREE_CAMERAS]);
});

after(async () => {
  await chromium?.close();
});

test('switchDevice mid-call swaps camera and microphone with replaceTrack: no renegotiation, media keeps flowing', async () => {
  const call = await startCall(chromium, fx.pages.url, fx.server.wsUrl, 'local-media-switch');
  const { alice } = call;

  for (const kind of ['video', 'audio'] as const) {
    const switched = await alice.evaluate(
      async (kind, camera) => {
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
        if (target === undefined) {
          throw new Error(`no second ${deviceKind}`);
        }
        await media.switchDevice(deviceKind, target);
        const fresh = kind === 'video' ? media.videoTrack : media.audioTrack;
        return {
          oldId: old.id,
          oldState: old.readyState,
          target,
          newId: fresh?.id ?? null,
          newState: fresh?.readyState ?? null,
          settingsDeviceId: media.settings(deviceKind)?.deviceId ?? null,
          inStream: media.stream
            .getTracks()
            .filter((t) => t.kind === kind)
            .map((t) => t.id),
        };
      },
      kind,
      SWITCH_CAMERA,
    );
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
        const peer = [...(window.t['room'] as Room).peers.values()][0]!;
        const counts = await window.probe.outboundCounts(peer);
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
  const call = await startCall(chromium, fx.pages.url, fx.server.wsUrl, 'local-media-mute');
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
  assert.equal(
    audioMutedReceived.end,
    audioMutedReceived.start,
    `Bob still receives audio: ${JSON.stringify(audioMutedReceived)}`,
  );
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
    (
      (window.t['events'] as Record<string, Array<{ entry: { audioMuted: boolean; videoMuted: boolean } }>>)['peer-updated'] ?? []
    ).map((e) => `${e.entry.audioMuted ? 'A' : 'a'}${e.entry.videoMuted ? 'V' : 'v'}`),
  );
  assert.deepEqual(updates, ['Av', 'av', 'aV', 'av']);
  await endCall(call);
});
