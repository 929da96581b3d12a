import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { PROTOCOL_VERSION } from '@rendezvous/protocol';
import { decodeFrame, salvageRequestId } from './frames.js';
import type { Logger } from './options.js';
import { startSignaling, type Harness } from './test-server.js';

describe('decodeFrame', { timeout: 60_000 }, () => {
  it('classifies each kind of bad frame', () => {
    assert.equal(decodeFrame(Buffer.from('{}'), true, 100).ok, false);
    const binary = decodeFrame(Buffer.from('{}'), true, 100);
    assert.equal(!binary.ok && binary.code, 'BINARY_NOT_SUPPORTED');
    const large = decodeFrame(Buffer.from(`{"requestId":"big","x":"${'a'.repeat(200)}"}`), false, 100);
    assert.deepEqual(large.ok ? null : [large.code, large.requestId], ['FRAME_TOO_LARGE', 'big']);
    const json = decodeFrame(Buffer.from('{"requestId":"j1", nope'), false, 100);
    assert.deepEqual(json.ok ? null : [json.code, json.requestId], ['BAD_JSON', 'j1']);
    const schema = decodeFrame(Buffer.from('{"type":"join","room":"~x","requestId":"s1"}'), false, 100);
    assert.deepEqual(schema.ok ? null : [schema.code, schema.requestId], ['BAD_MESSAGE', 's1']);
    const good = decodeFrame([Buffer.from('{"type":"le'), Buffer.from('ave"}')], false, 100);
    assert.deepEqual(good.ok ? good.message : null, { type: 'leave' });
  });

  it('salvages only plausible request ids', () => {
    assert.equal(salvageRequestId('{"requestId" : "abc"}'), 'abc');
    assert.equal(salvageRequestId(`{"requestId":"${'x'.repeat(65)}"}`), undefined);
    assert.equal(salvageRequestId('{"requestId":12}'), undefined);
  });
});

describe('bad frames on /ws', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('answers HELLO_REQUIRED to a message before hello and keeps the socket', async () => {
    h = await startSignaling();
    const c = await h.connect();
    c.send({ type: 'join', room: 'lobby', requestId: 'r1' });
    const error = await c.errorFor('r1');
    assert.equal(error.code, 'HELLO_REQUIRED');
    const welcome = await c.hello('Ada');
    assert.equal(welcome.resumed, false);
    assert.match(welcome.peerId, /^[A-Za-z0-9_-]{16}$/);
  });

  it('refuses an unsupported protocol version and closes with 1002', async () => {
    h = await startSignaling();
    const c = await h.connect();
    c.send({ type: 'hello', version: 999, displayName: 'Old', requestId: 'h1' });
    assert.equal((await c.errorFor('h1')).code, 'PROTOCOL_VERSION');
    assert.equal((await c.whenClosed()).code, 1002);
    assert.equal(h.signaling.stats().sessions, 0);
  });

  it('answers ALREADY_HELLO to a second hello', async () => {
    h = await startSignaling();
    const c = await h.peer();
    c.send({ type: 'hello', version: PROTOCOL_VERSION, displayName: 'Again', requestId: 'h2' });
    assert.equal((await c.errorFor('h2')).code, 'ALREADY_HELLO');
    assert.equal(h.signaling.stats().sessions, 1);
  });

  it('answers BAD_JSON, BAD_MESSAGE and BINARY_NOT_SUPPORTED, echoing the request id, and counts them', async () => {
    h = await startSignaling();
    const c = await h.peer();
    c.sendRaw('{"type":"join","requestId":"bj", oops');
    const badJson = await c.errorFor('bj');
    assert.equal(badJson.code, 'BAD_JSON');
    c.send({ type: 'join', room: 'has space', requestId: 'bm' });
    const badMessage = await c.errorFor('bm');
    assert.equal(badMessage.code, 'BAD_MESSAGE');
    assert.match(badMessage.message, /room/);
    c.sendJson({ type: 'teleport', requestId: 'bt' });
    assert.equal((await c.errorFor('bt')).code, 'BAD_MESSAGE');
    c.sendRaw('[1,2,3]');
    const noId = await c.next('error');
    assert.deepEqual([noId.code, noId.requestId], ['BAD_MESSAGE', undefined]);
    c.sendRaw(Buffer.from([1, 2, 3]), true);
    const binary = await c.next('error');
    assert.equal(binary.code, 'BINARY_NOT_SUPPORTED');
    await c.join('still-works');
    assert.equal(await h.metric('rendezvous_signaling_rejected_frames_total', { code: 'BAD_JSON' }), 1);
    assert.equal(await h.metric('rendezvous_signaling_rejected_frames_total', { code: 'BAD_MESSAGE' }), 3);
    assert.equal(await h.metric('rendezvous_signaling_rejected_frames_total', { code: 'BINARY_NOT_SUPPORTED' }), 1);
    assert.equal(await h.metric('rendezvous_signaling_messages_total', { type: 'join' }), 1);
  });

  it('answers FRAME_TOO_LARGE and keeps the socket; ws closes with 1009 past 4x the limit', async () => {
    h = await startSignaling({ limits: { maxFrameBytes: 1024 } });
    const c = await h.peer();
    c.sendJson({ type: 'join', room: 'big', requestId: 'fl', padding: 'x'.repeat(2000) });
    assert.equal((await c.errorFor('fl')).code, 'FRAME_TOO_LARGE');
    await c.join('after-large');
    c.sendRaw('x'.repeat(5000));
    assert.equal((await c.whenClosed()).code, 1009);
  });

  it('closes a socket that never says hello, with HELLO_REQUIRED and 1008', async () => {
    h = await startSignaling({ limits: { helloTimeoutMs: 5_000 } });
    const silent = await h.connect();
    const polite = await h.peer();
    h.clock.advance(5_000);
    assert.equal((await silent.next('error')).code, 'HELLO_REQUIRED');
    assert.equal((await silent.whenClosed()).code, 1008);
    await polite.join('unaffected');
  });

  it('turns an exception in a handler into INTERNAL for that frame only', async () => {
    const throwing: Logger = {
      debug: (...args: unknown[]) => {
        if (args.includes('joined room')) {
          throw new Error('logger exploded');
        }
      },
      info: () => {},
      warn: () => {},
      error: () => {},
      child: () => throwing,
    };
    h = await startSignaling({ logger: throwing });
    const a = await h.peer('A');
    a.send({ type: 'join', room: 'boom', requestId: 'j1' });
    assert.equal((await a.errorFor('j1')).code, 'INTERNAL');
    const b = await h.peer('B');
    b.send({ type: 'leave', requestId: 'l1' });
    assert.equal((await b.errorFor('l1')).code, 'NOT_IN_ROOM');
    assert.equal(h.signaling.stats().sessions, 2);
  });
});
