import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakePresencePort, SELF, member, snapshotOf, updated } from './fake-presence-port.test-util.js';
import { RecordingNotices } from './recording-notices.js';

function setUp(port = new FakePresencePort()): { port: FakePresencePort; notices: RecordingNotices; seen: string[] } {
  const notices = new RecordingNotices(port);
  const seen: string[] = [];
  notices.on('recording', (peerId, on) => seen.push(`${peerId}:${on ? 'on' : 'off'}`));
  return { port, notices, seen };
}

describe('RecordingNotices', () => {
  it('starts from the snapshot (a late joiner sees who records), without an event', () => {
    const { notices, seen } = setUp(new FakePresencePort(snapshotOf([member('ada', null, true), member('bob')])));
    assert.deepEqual(notices.recorders, ['ada']);
    assert.equal(notices.isRecording('ada'), true);
    assert.equal(notices.isRecording('bob'), false);
    assert.deepEqual(seen, []);
  });

  it('setRecording announces it and resolves once the server confirmed; its own flag shows like anyone else', async () => {
    const { port, notices, seen } = setUp();
    const starting = notices.setRecording(true);
    assert.deepEqual(port.requests[0]?.message, { type: 'recording', active: true });
    await port.answer(updated(SELF, null, true));
    await starting;
    assert.equal(notices.isRecording(SELF), true);
    const stopping = notices.setRecording(false);
    assert.deepEqual(port.requests[0]?.message, { type: 'recording', active: false });
    await port.answer(updated(SELF, null, false));
    await stopping;
    assert.deepEqual(seen, [`${SELF}:on`, `${SELF}:off`]);
  });

  it('follows the others; a recording member that leaves stops; a hand change emits nothing', () => {
    const { port, notices, seen } = setUp(new FakePresencePort(snapshotOf([member('ada'), member('bob')])));
    port.deliver(updated('ada', null, true));
    port.deliver(updated('ada', 4, true));
    port.deliver({ type: 'peer-joined', room: 'r', peer: { ...member('cy', null, true), polite: true } });
    port.deliver({ type: 'peer-left', room: 'r', peerId: 'ada', reason: 'disconnected' });
    assert.deepEqual(seen, ['ada:on', 'cy:on', 'ada:off']);
    assert.deepEqual(notices.recorders, ['cy']);
  });

  it('announces again after a rejoin while still recording; not after a resume that kept it', async () => {
    const { port, notices } = setUp();
    const starting = notices.setRecording(true);
    await port.answer(updated(SELF, null, true));
    await starting;
    port.resync(snapshotOf([], { recording: true }));
    assert.equal(port.requests.length, 0);
    port.resync(snapshotOf([member('ada')], { peerId: 'new-self-0002' }));
    assert.deepEqual(
      port.requests.map((r) => r.message),
      [{ type: 'recording', active: true }],
    );
    notices.close();
    assert.equal(port.listeners, 0);
    await assert.rejects(notices.setRecording(false), { code: 'INVALID_STATE' });
  });
});
