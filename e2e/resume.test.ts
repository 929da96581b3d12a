import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Room } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, openPeerPage, recorded, recordedEvents, waitMediaFlowing } from './harness/peer.js';

const fx = useFixture(['chromium'], { heartbeatIntervalMs: 2000 });

test('the server cuts a socket: the client resumes, the other side sees no leave, media keeps flowing', async () => {
  const chromium = browserOf(fx, 'chromium');
  const a = await openPeerPage(chromium, fx.pages.url);
  const b = await openPeerPage(chromium, fx.pages.url);
  const aId = await joinRoom(a, fx.server.wsUrl, 'resume', 'A');
  await joinRoom(b, fx.server.wsUrl, 'resume', 'B');
  await Promise.all([waitMediaFlowing(a, 1), waitMediaFlowing(b, 1)]);

  await b.evaluate(() => {
    const room = window.t['room'] as Room;
    room.on('peer-left', (peer) => window.probe.record('peer-left', peer.peerId));
    room.on('peer-joined', (peer) => window.probe.record('peer-joined', peer.peerId));
  });
  await a.evaluate(() => {
    const room = window.t['room'] as Room;
    room.signaling.on('resumed', () => window.probe.record('resumed', room.signaling.peerId));
    room.signaling.on('reset', () => window.probe.record('reset', room.signaling.peerId));
  });

  assert.equal(fx.server.signaling.terminate(aId), true);
  const resumedAs = await recorded<string>(a, 'resumed');
  assert.equal(resumedAs, aId, 'same peer id after resume');

  // Media keeps flowing on both sides (a fresh one-second window after the cut).
  await Promise.all([waitMediaFlowing(a, 1), waitMediaFlowing(b, 1)]);
  const seenByB = await b.evaluate(() => window.t['events'] ?? {});
  assert.deepEqual(seenByB, {}, 'B saw no leave and no join');
  const resets = await a.evaluate(() => (window.t['events'] as Record<string, unknown[]>)['reset'] ?? []);
  assert.deepEqual(resets, []);
  assert.equal(fx.server.signaling.stats().sessions, 2);
  await a.close();
  await b.close();
});

test('a closed tab shows as left within the heartbeat window', async () => {
  const chromium = browserOf(fx, 'chromium');
  const a = await openPeerPage(chromium, fx.pages.url);
  const b = await openPeerPage(chromium, fx.pages.url);
  const aId = await joinRoom(a, fx.server.wsUrl, 'closed-tab', 'A');
  await joinRoom(b, fx.server.wsUrl, 'closed-tab', 'B');
  await b.evaluate(() => {
    (window.t['room'] as Room).on('peer-left', (peer, reason) => window.probe.record('peer-left', [peer.peerId, reason]));
  });
  const closedAt = Date.now();
  await a.close();
  const [left] = await recordedEvents<[string, string]>(b, 'peer-left', 1, 10_000);
  assert.ok(left !== undefined);
  assert.equal(left.entry[0], aId);
  const heartbeatWindow = 2 * 2000;
  assert.ok(left.at - closedAt <= heartbeatWindow, `left after ${left.at - closedAt} ms, window ${heartbeatWindow} ms`);
  await b.close();
});
