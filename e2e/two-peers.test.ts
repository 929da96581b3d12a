import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Room } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, leftovers, openPeerPage, roomPeerIds, waitMediaFlowing } from './harness/peer.js';

const fx = useFixture(['chromium']);

test("two peers in a room receive each other's video and audio; leave cleans up everything", async () => {
  const chromium = browserOf(fx, 'chromium');
  const alice = await openPeerPage(chromium, fx.pages.url);
  const bob = await openPeerPage(chromium, fx.pages.url);
  const aliceId = await joinRoom(alice, fx.server.wsUrl, 'two-peers', 'Alice');
  const bobId = await joinRoom(bob, fx.server.wsUrl, 'two-peers', 'Bob');
  assert.notEqual(aliceId, bobId);

  await Promise.all([waitMediaFlowing(alice, 1), waitMediaFlowing(bob, 1)]);
  assert.deepEqual(await roomPeerIds(alice), [bobId]);
  assert.deepEqual(await roomPeerIds(bob), [aliceId]);
  const names = await alice.evaluate(() => [...(window.t['room'] as Room).peers.values()].map((p) => p.displayName));
  assert.deepEqual(names, ['Bob']);

  // Bob leaves: Alice sees him go, and Bob's page has nothing left running.
  await alice.evaluate(() => {
    const room = window.t['room'] as Room;
    window.t['left'] = new Promise((resolve) => room.on('peer-left', (peer, reason) => resolve([peer.peerId, reason])));
  });
  await bob.evaluate(() => (window.t['room'] as Room).leave());
  assert.deepEqual(await alice.evaluate(() => window.t['left']), [bobId, 'left']);
  assert.deepEqual(await leftovers(bob), { openConnections: 0, liveTracks: 0 });
  assert.deepEqual(await roomPeerIds(alice), []);

  await alice.evaluate(() => (window.t['room'] as Room).leave());
  assert.deepEqual(await leftovers(alice), { openConnections: 0, liveTracks: 0 });
  await alice.close();
  await bob.close();
  // The server removed the empty room.
  assert.equal(fx.server.signaling.stats().rooms, 0);
});
