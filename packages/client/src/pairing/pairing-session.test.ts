import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RendezvousError } from '@rendezvous/protocol';
import { CountingEventTarget } from '../fake-peer-connection.test-util.js';
import { settle } from '../fake-timers.test-util.js';
import type { LocalMedia } from '../local-media.js';
import { TypedEmitter } from '../typed-emitter.js';
import { decodePairingBlob, encodePairingBlob } from './blob-codec.js';
import { trackTimers } from '../fake-timers.test-util.js';
import { FakePairingRTC, link, REFUSED, useFakeRtc } from './fake-pairing-rtc.test-util.js';
import { PairingSession, type PairingState } from './pairing-session.js';

function record(session: PairingSession): { states: PairingState[]; errors: RendezvousError[] } {
  const states: PairingState[] = [];
  const errors: RendezvousError[] = [];
  session.on('state', (state) => states.push(state));
  session.on('error', (error) => errors.push(error));
  return { states, errors };
}

/** An inviter and a joiner through the exchange; their connections are linked (message channel open). */
async function paired(): Promise<{ inviter: PairingSession; joiner: PairingSession; a: FakePairingRTC; b: FakePairingRTC }> {
  const inviter = new PairingSession();
  const joiner = new PairingSession();
  const invitation = await inviter.createInvitation();
  const a = FakePairingRTC.last();
  const answer = await joiner.answerInvitation(invitation);
  const b = FakePairingRTC.last();
  await inviter.acceptAnswer(answer);
  link(a, b);
  await settle();
  return { inviter, joiner, a, b };
}

test('the inviter goes new → gathering → waiting → connecting → connected, the joiner new → gathering → waiting → connected', async (t) => {
  useFakeRtc(t);
  const inviter = new PairingSession();
  const joiner = new PairingSession();
  const seenA = record(inviter);
  const seenB = record(joiner);
  assert.equal(inviter.state, 'new');
  assert.equal(inviter.role, null);
  assert.equal(inviter.peerId, '');

  const invitation = await inviter.createInvitation();
  assert.deepEqual(FakePairingRTC.last().config, { iceServers: [] }, 'no ICE server unless given');
  const answer = await joiner.answerInvitation(invitation);
  assert.equal((await decodePairingBlob(answer)).tag, (await decodePairingBlob(invitation)).tag, 'the answer names its offer');
  await inviter.acceptAnswer(answer);
  const [a, b] = FakePairingRTC.made;
  assert.equal(a!.remoteDescription?.sdp, b!.localDescription?.sdp, 'the inviter applied the joiner’s description');
  link(a!, b!);
  await settle();

  assert.deepEqual(seenA.states, ['gathering', 'waiting', 'connecting', 'connected']);
  assert.deepEqual(seenB.states, ['gathering', 'waiting', 'connected']);
  assert.deepEqual([inviter.role, inviter.peerId, inviter.remotePeerId], ['inviter', 'inviter', 'joiner']);
  assert.deepEqual([joiner.role, joiner.peerId, joiner.remotePeerId], ['joiner', 'joiner', 'inviter']);
  assert.deepEqual([...seenA.errors, ...seenB.errors], []);

  // Chat runs on the data layer over the message channel.
  const got = new Promise<string>((resolve) => joiner.chat.on('message', (message) => resolve(message.text)));
  inviter.chat.send('hello over the pairing');
  assert.equal(await got, 'hello over the pairing');
  inviter.close();
  joiner.close();
});

test('close() is idempotent and leaves no listener on the connection or its channel, and no timer', async (t) => {
  useFakeRtc(t);
  const timers = trackTimers(t);
  const { inviter, joiner, a, b } = await paired();
  const seen = record(inviter);
  const seenB = record(joiner);
  const message = a.messages!;
  inviter.close();
  inviter.close();
  assert.deepEqual(seen.states, ['closed'], 'one state change, however often close() is called');
  assert.equal(a.closed, true);
  assert.equal(a.listeners, 0, 'no listener left on the RTCPeerConnection');
  assert.equal(message.listenerCount(), 0, 'no listener left on the message channel');
  await settle();
  // The other side sees the message channel close: the pairing ended after having connected.
  assert.equal(joiner.state, 'failed');
  assert.equal(seenB.errors[0]?.code, 'CONNECTION_FAILED');
  assert.deepEqual(seenB.errors[0]?.detail, { connected: true });
  joiner.close();
  assert.equal(b.listeners, 0);
  assert.equal(joiner.state, 'closed');
  assert.equal(timers.live(), 0, 'no timer left (the connect timer was cleared)');
  await assert.rejects(joiner.createInvitation(), { code: 'INVALID_STATE' }, 'a closed session cannot start again');
});

test('closed while gathering: the invitation is refused with INVALID_STATE and nothing is left', async (t) => {
  useFakeRtc(t, 'manual');
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const inviter = new PairingSession();
  const invitation = inviter.createInvitation();
  await settle();
  const pc = FakePairingRTC.last();
  assert.equal(inviter.state, 'gathering');
  inviter.close();
  pc.finishGathering();
  await assert.rejects(invitation, { code: 'INVALID_STATE' });
  assert.equal(inviter.state, 'closed');
  assert.equal(pc.listeners, 0);
});

test('gathering that never completes: the invitation is made with what was found after gatherTimeoutMs', async (t) => {
  useFakeRtc(t, 'manual');
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const inviter = new PairingSession({ gatherTimeoutMs: 5_000 });
  let made = false;
  const invitation = inviter.createInvitation().finally(() => (made = true));
  await settle();
  const pc = FakePairingRTC.last();
  const gatheringListeners = pc.listeners;
  pc.trickle();
  t.mock.timers.tick(4_999);
  await settle();
  assert.equal(made, false, 'still gathering');
  assert.equal(inviter.state, 'gathering');
  t.mock.timers.tick(1);
  assert.match((await decodePairingBlob(await invitation)).sdp, /a=candidate:/);
  assert.equal(inviter.state, 'waiting');
  assert.equal(pc.listeners, gatheringListeners - 2, 'the two gathering listeners are gone');
  inviter.close();
});

test('no candidate at all by gatherTimeoutMs: NEGOTIATION_FAILED and the session fails', async (t) => {
  useFakeRtc(t, 'manual');
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const inviter = new PairingSession({ gatherTimeoutMs: 5_000 });
  const invitation = inviter.createInvitation();
  const refused = assert.rejects(invitation, { code: 'NEGOTIATION_FAILED', message: /No network address/ });
  await settle();
  t.mock.timers.tick(5_000);
  await refused;
  assert.equal(inviter.state, 'failed');
  inviter.close();
});

test('an answer that never connects fails the inviter after connectTimeoutMs with CONNECTION_FAILED', async (t) => {
  useFakeRtc(t);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const inviter = new PairingSession({ connectTimeoutMs: 20_000 });
  const joiner = new PairingSession();
  const seen = record(inviter);
  await inviter.acceptAnswer(await joiner.answerInvitation(await inviter.createInvitation()));
  t.mock.timers.tick(19_999);
  assert.equal(inviter.state, 'connecting');
  t.mock.timers.tick(1);
  assert.equal(inviter.state, 'failed');
  assert.equal(seen.errors.length, 1);
  assert.equal(seen.errors[0]?.code, 'CONNECTION_FAILED');
  assert.deepEqual(seen.errors[0]?.detail, { connected: false });
  inviter.close();
  joiner.close();
});

test('connected in time: the connect timer is cleared (nothing fires later)', async (t) => {
  useFakeRtc(t);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { inviter, joiner } = await paired();
  const seen = record(inviter);
  t.mock.timers.tick(60_000);
  assert.deepEqual(seen.states, []);
  assert.equal(inviter.state, 'connected');
  inviter.close();
  joiner.close();
});

test('a bad answer is refused and leaves the inviter waiting: the right answer still connects', async (t) => {
  useFakeRtc(t);
  const inviter = new PairingSession();
  const joiner = new PairingSession();
  const invitation = await inviter.createInvitation();
  const a = FakePairingRTC.last();
  const answer = await joiner.answerInvitation(invitation);
  const b = FakePairingRTC.last();
  const { tag, sdp, createdAt } = await decodePairingBlob(answer);
  const refusals: Array<[string, string]> = [
    ['not a pairing code', 'PAIRING_MALFORMED'],
    [answer.slice(0, answer.length - 10), 'PAIRING_TRUNCATED'],
    [invitation, 'PAIRING_WRONG_KIND'],
    [await encodePairingBlob({ kind: 'answer', sdp, createdAt, tag: (tag + 1) >>> 0 }), 'PAIRING_MISMATCH'],
    [await encodePairingBlob({ kind: 'answer', sdp: `${sdp}${REFUSED}\r\n`, createdAt, tag }), 'NEGOTIATION_FAILED'],
  ];
  for (const [text, code] of refusals) {
    await assert.rejects(inviter.acceptAnswer(text), { code }, code);
    assert.equal(inviter.state, 'waiting', `still waiting after ${code}`);
  }
  await inviter.acceptAnswer(answer);
  link(a, b);
  await settle();
  assert.equal(inviter.state, 'connected');
  await assert.rejects(inviter.acceptAnswer(answer), { code: 'INVALID_STATE' }, 'only one answer');
  inviter.close();
  joiner.close();
});

test('a bad invitation is refused before anything starts: the joiner can still answer a good one', async (t) => {
  useFakeRtc(t);
  const joiner = new PairingSession();
  const seen = record(joiner);
  await assert.rejects(joiner.answerInvitation('RZP1AAAA'), { code: 'PAIRING_TRUNCATED' });
  assert.deepEqual([joiner.state, joiner.role, FakePairingRTC.made.length], ['new', null, 0]);
  const inviter = new PairingSession();
  await joiner.answerInvitation(await inviter.createInvitation());
  assert.deepEqual(seen.states, ['gathering', 'waiting']);
  await assert.rejects(joiner.answerInvitation('anything'), { code: 'INVALID_STATE' });
  inviter.close();
  joiner.close();
});

test('a dropped connection is reported as disconnected, and connected again when it recovers', async (t) => {
  useFakeRtc(t);
  const { inviter, joiner, a } = await paired();
  const seen = record(inviter);
  a.setState('disconnected');
  a.setState('connected');
  assert.deepEqual(seen.states, ['disconnected', 'connected']);
  a.setState('failed');
  assert.equal(inviter.state, 'failed');
  assert.equal(seen.errors[0]?.code, 'CONNECTION_FAILED');
  inviter.close();
  joiner.close();
});

/** A LocalMedia as the pairing uses it: a track per kind, and `send-track` when one changes. */
function fakeMedia(kinds: Array<'audio' | 'video'>): LocalMedia {
  const events = new TypedEmitter<{ 'send-track': [kind: string] }>();
  const tracks = new Map(kinds.map((kind) => [kind, { kind, id: `${kind}-1` } as unknown as MediaStreamTrack]));
  return Object.assign(events, { sendTrack: (kind: 'audio' | 'video') => tracks.get(kind) ?? null }) as unknown as LocalMedia;
}

test("a camera shared before connecting goes on once connected, negotiated over the pairing's message channel", async (t) => {
  useFakeRtc(t);
  const inviter = new PairingSession();
  const joiner = new PairingSession();
  joiner.setMedia(fakeMedia(['audio', 'video']));
  const invitation = await inviter.createInvitation();
  const a = FakePairingRTC.last();
  const answer = await joiner.answerInvitation(invitation);
  const b = FakePairingRTC.last();
  assert.equal(b.transceivers.length, 0, 'media is never in the first exchange');
  await inviter.acceptAnswer(answer);
  link(a, b);
  await settle();
  assert.deepEqual(
    b.transceivers.map((transceiver) => `${transceiver.kind} ${transceiver.direction}`),
    ['audio sendonly', 'video sendonly'],
  );
  // The joiner (polite, but not waiting for a first offer) offers over the channel; the inviter answers.
  assert.deepEqual(b.log, ['remote offer', 'local answer', 'local offer', 'remote answer']);
  assert.deepEqual(a.log, ['local offer', 'remote answer', 'remote offer', 'local answer']);
  assert.ok(b.messages!.sent.some((frame) => typeof frame === 'string' && frame.includes('pairing-signal')));
  assert.deepEqual([inviter.state, joiner.state], ['connected', 'connected'], 'renegotiating changes no state');
  // Stopping: nothing is sent, on the same transceivers, now inactive, which is renegotiated over the channel.
  joiner.setMedia(null);
  await settle();
  assert.deepEqual(
    b.transceivers.map((transceiver) => [transceiver.sender.track, transceiver.direction]),
    [
      [null, 'inactive'],
      [null, 'inactive'],
    ],
  );
  assert.deepEqual(b.log.slice(4), ['local offer', 'remote answer'], 'one more exchange');
  joiner.setMedia(fakeMedia(['video']));
  await settle();
  assert.deepEqual(
    b.transceivers.map((transceiver) => transceiver.direction),
    ['inactive', 'sendonly'],
  );
  assert.deepEqual(b.log.slice(6), ['local offer', 'remote answer']);
  assert.equal(b.transceivers.length, 2, 'no new transceiver');
  inviter.close();
  joiner.close();
});

test('a received track is followed once, even when the other side sends on it again; close() stops it', async (t) => {
  useFakeRtc(t);
  const { inviter, joiner, a } = await paired();
  const track = Object.assign(new CountingEventTarget(), { kind: 'video', muted: false, readyState: 'live', stopped: false });
  const stop = (): void => void (track.stopped = true);
  Object.assign(track, { stop });
  let changes = 0;
  inviter.on('remote-media', () => changes++);
  for (let i = 0; i < 2; i++) {
    a.dispatchEvent(Object.assign(new Event('track'), { track }));
  }
  assert.equal(changes, 2);
  assert.deepEqual(inviter.remoteStream?.getTracks(), [track]);
  assert.equal(track.listeners, 3, 'mute, unmute and ended, once each');
  track.dispatchEvent(new Event('mute'));
  assert.equal(changes, 3);
  inviter.close();
  assert.equal(track.stopped, true);
  assert.deepEqual(inviter.remoteStream?.getTracks() ?? [], []);
  joiner.close();
});
