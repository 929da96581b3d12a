import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeConnection, settle } from '../data/fake-channel.test-util.js';
import { RoomData } from '../data/index.js';
import type { FeaturePort } from '../feature-port.js';
import { Chat } from './chat.js';
import { MAX_CHAT_TEXT } from './chat-limits.js';

/** A FeaturePort over a real RoomData (membership fixed by the test; no joins or leaves). */
function portOver(peerId: string, data: RoomData, members: string[]): FeaturePort {
  return {
    peerId,
    peerIds: () => [...members],
    displayName: () => undefined,
    sendInternal: (topic, message, to) => data.sendInternal(topic, message, to === undefined ? {} : { to }),
    onInternal: (topic, listener) => data.on('internal', (from, got, message) => got === topic && listener(from, message)),
    openInternalStream: (topic, to, meta) => data.openStream(to, meta, { topic }),
    onInternalStream: () => () => undefined,
    onPeerJoined: () => () => undefined,
    onPeerLeft: () => () => undefined,
    onPeerReachable: (listener) => data.on('reachable', listener),
    onClose: () => () => undefined,
  };
}

test('over the real data layer: a full history of maximal messages reaches a late joiner, the app sees none of it', async () => {
  const [alice, bob] = [new RoomData(), new RoomData()];
  const first = fakeConnection();
  alice.attach('bob', first.a);
  bob.attach('alice', first.b);
  const aliceChat = new Chat(portOver('alice', alice, ['bob']));
  const bobChat = new Chat(portOver('bob', bob, ['alice']));
  const appMessages: unknown[] = [];
  bob.on('message', (_from, m) => appMessages.push(m));
  for (let i = 0; i < 100; i++) {
    aliceChat.send(`${i} ${'é'.repeat(MAX_CHAT_TEXT - 4)}`);
  }
  await settle();
  assert.equal(bobChat.messages.length, 100);
  assert.ok(aliceChat.messages.every((m) => m.delivered));

  const carol = new RoomData();
  const carolChat = new Chat(portOver('carol', carol, ['alice']));
  const errors: unknown[] = [];
  carolChat.on('error', (e) => errors.push(e));
  aliceChat.on('error', (e) => errors.push(e));
  const link = fakeConnection({ open: false });
  alice.attach('carol', link.a);
  carol.attach('alice', link.b);
  link.a.messages.open();
  await settle();
  assert.deepEqual(errors, []);
  const got = carolChat.messages;
  assert.ok(got.length >= 40, `${got.length} messages of ~8 KB fit in the 512 KiB answer`);
  assert.equal(got.at(-1)?.text, aliceChat.messages.at(-1)?.text);
  assert.ok(got.every((m) => m.fromHistory && m.from === 'alice'));
  assert.deepEqual(appMessages, []);
});
