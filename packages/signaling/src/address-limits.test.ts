import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { FakeClock } from '@rendezvous/common';
import { AddressLimits, defaultClientAddress, MinuteCounter } from './address-limits.js';
import { resolveLimits } from './options.js';
import type { Session } from './session.js';
import { REFUSED_LINGER_MS } from './upgrade.js';
import type { TestClient } from './test-client.js';
import { startSignaling, type Harness } from './test-server.js';

/** The "second address" on loopback: the server listens on 127.0.0.1 and sees this as another client. */
const OTHER = { localAddress: '127.0.0.2' };
const hits = (h: Harness, limit: string): Promise<number> => h.metric('rendezvous_signaling_limit_hits_total', { limit });

async function refusedWith(client: TestClient, code: string, requestId?: string): Promise<void> {
  const error = requestId === undefined ? await client.next('error') : await client.errorFor(requestId);
  assert.equal(error.code, code);
  assert.equal((await client.whenClosed()).code, 1013);
}

/**
 * A client that completes the WebSocket handshake on a raw socket, reads everything, and never answers a close
 * frame (as a script would): `text` is what it has read so far, `closed` resolves when the server lets go.
 */
async function silentClient(url: string): Promise<{ socket: Socket; text: () => string; closed: Promise<void> }> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  let received = '';
  socket.on('data', (data: Buffer) => (received += data.toString('latin1')));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(
    `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  return { socket, text: () => received, closed };
}

/** `promise`, or a failure after `ms` of real time (ws would cut the socket itself after 30 s). */
function within<T>(promise: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_resolve, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once `done()` holds, checking after each socket event (no timers). */
async function until(socket: Socket, done: () => boolean): Promise<void> {
  while (!done()) {
    await new Promise((resolve) => socket.once('data', resolve));
  }
}

describe('defaultClientAddress', () => {
  it('normalises IPv4-mapped IPv6 addresses', () => {
    const request = (remoteAddress: string): IncomingMessage => ({ socket: { remoteAddress } }) as unknown as IncomingMessage;
    assert.equal(defaultClientAddress(request('::ffff:192.0.2.7')), '192.0.2.7');
    assert.equal(defaultClientAddress(request('2001:db8::1')), '2001:db8::1');
    assert.equal(defaultClientAddress(request('127.0.0.2')), '127.0.0.2');
  });
});

describe('AddressLimits bookkeeping', () => {
  it('forgets an address once its last socket and session are gone, so addresses that come and go leave nothing', () => {
    const limits = new AddressLimits(resolveLimits({ maxConnectionsPerAddress: 2, maxSessionsPerAddress: 2 }), new FakeClock());
    for (let n = 0; n < 1_000; n++) {
      const address = `2001:db8::${n.toString(16)}`;
      const session = { address, detached: false } as Session;
      assert.ok(limits.openConnection(address));
      assert.ok(limits.openConnection(address));
      assert.equal(limits.openConnection(address), false);
      limits.addSession(session);
      limits.closeConnection(address);
      limits.closeConnection(address);
      assert.equal(limits.trackedAddresses, 1, 'its session still counts');
      limits.removeSession(session);
      limits.removeSession(session); // idempotent
    }
    assert.equal(limits.trackedAddresses, 0);
  });

  it('MinuteCounter starts every key afresh when the window rolls', () => {
    const clock = new FakeClock();
    const counter = new MinuteCounter<string>(1, clock);
    assert.deepEqual([counter.take('a'), counter.take('a'), counter.take('b')], [true, false, true]);
    clock.advance(60_000);
    assert.deepEqual([counter.take('a'), counter.take('b')], [true, true]);
  });
});

describe('per-address limits', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('maxConnectionsPerAddress: the next socket gets ADDRESS_LIMIT and 1013; other addresses are served', async () => {
    h = await startSignaling({ limits: { maxConnectionsPerAddress: 3 } });
    const open = [await h.connect(), await h.connect(), await h.connect()];
    const other = await h.peer('Other', OTHER);
    await refusedWith(await h.connect(), 'ADDRESS_LIMIT');
    assert.equal(await hits(h, 'maxConnectionsPerAddress'), 1);
    await (await h.peer('Other 2', OTHER)).join('r');
    await other.join('s');
    await open[0]?.close();
    await h.peer('Back in'); // a slot came free
  });

  it('a refused socket that never answers the close frame is cut after REFUSED_LINGER_MS, and at close()', async () => {
    h = await startSignaling({ limits: { maxConnectionsPerAddress: 1 } });
    await h.connect();
    const silent = await silentClient(h.url);
    await until(silent.socket, () => silent.text().includes('ADDRESS_LIMIT'));
    let cut = false;
    void silent.closed.then(() => (cut = true));
    h.clock.advance(REFUSED_LINGER_MS - 1);
    await (await h.peer('Other', OTHER)).sync(); // a round trip: the server had its chance to act
    assert.equal(cut, false, 'it has a moment to read ADDRESS_LIMIT and the close frame');
    h.clock.advance(1);
    await within(silent.closed);
    // Another one, still lingering at close(): cut too, and its timer cleared (the harness checks).
    const late = await silentClient(h.url);
    await until(late.socket, () => late.text().includes('ADDRESS_LIMIT'));
    await h.signaling.close();
    await within(late.closed);
  });

  it('maxSessionsPerAddress: a session past it gets ADDRESS_LIMIT and 1013; other addresses are served', async () => {
    h = await startSignaling({ limits: { maxSessionsPerAddress: 2 } });
    await h.peer('A1');
    await h.peer('A2');
    const third = await h.connect();
    third.sendJson({ type: 'hello', version: 1, displayName: 'A3', requestId: 'h3' });
    await refusedWith(third, 'ADDRESS_LIMIT', 'h3');
    assert.equal(await hits(h, 'maxSessionsPerAddress'), 1);
    await h.peer('B1', OTHER);
    await h.peer('B2', OTHER);
    assert.equal(h.counts().sessions, 4);
  });

  it("detached sessions hold no slot past the limit: a new session ends its own address's oldest detached one", async () => {
    h = await startSignaling({ limits: { maxSessionsPerAddress: 2 } });
    const witness = await h.peer('Witness', OTHER);
    await witness.join('r');
    const a1 = await h.peer('A1');
    const a2 = await h.peer('A2');
    await a1.join('r');
    await a2.join('r');
    h.signaling.terminate(a1.peerId);
    h.signaling.terminate(a2.peerId);
    assert.equal(h.counts().detached, 2);
    await h.peer('A3');
    assert.deepEqual(await witness.next('peer-left'), {
      type: 'peer-left',
      room: 'r',
      peerId: a1.peerId,
      reason: 'disconnected',
    });
    await h.peer('A4');
    assert.equal((await witness.next('peer-left')).peerId, a2.peerId);
    assert.deepEqual(h.counts(), { sessions: 3, rooms: 1, detached: 0 });
    // Both slots are held by live sessions now: the evicted token cannot come back for a third.
    const late = await h.connect();
    late.sendJson({ type: 'hello', version: 1, displayName: 'A1', resumeToken: a1.resumeToken, requestId: 'late' });
    await refusedWith(late, 'ADDRESS_LIMIT', 'late');
    // Another address is not affected by any of this (it holds one of its two slots already).
    const b = await h.peer('B', OTHER);
    await b.join('r');
  });

  it('joinsPerAddressPerMinute: JOIN_RATE_LIMITED past it, for the minute; other addresses join', async () => {
    h = await startSignaling({ limits: { joinsPerAddressPerMinute: 3 } });
    const a = await h.peer('A');
    const a2 = await h.peer('A2');
    for (const name of ['r1', 'r2']) {
      await a.join(name);
      a.send({ type: 'leave', requestId: `leave-${name}` });
      await a.next('left');
    }
    await a2.join('r3');
    a.send({ type: 'join', room: 'r4', requestId: 'j4' });
    assert.equal((await a.errorFor('j4')).code, 'JOIN_RATE_LIMITED');
    assert.equal(await hits(h, 'joinsPerAddressPerMinute'), 1);
    const b = await h.peer('B', OTHER);
    await b.join('r4');
    h.clock.advance(59_999);
    a.send({ type: 'join', room: 'r4', requestId: 'j5' });
    assert.equal((await a.errorFor('j5')).code, 'JOIN_RATE_LIMITED');
    h.clock.advance(1);
    await a.join('r4');
  });

  it('callsPerCallerPerMinute: CALL_RATE_LIMITED past it; other callers ring the same callee', async () => {
    h = await startSignaling({ limits: { callsPerCallerPerMinute: 2 } });
    const caller = await h.peer('Caller');
    const callee = await h.peer('Callee', OTHER);
    for (let n = 0; n < 2; n++) {
      caller.send({ type: 'call', to: callee.peerId });
      const { callId } = await caller.next('call-ringing');
      await callee.next('incoming-call');
      caller.send({ type: 'call-cancel', callId });
      await callee.next('call-ended');
      await caller.next('call-ended');
    }
    caller.send({ type: 'call', to: callee.peerId, requestId: 'c3' });
    assert.equal((await caller.errorFor('c3')).code, 'CALL_RATE_LIMITED');
    await callee.expectNothing('incoming-call');
    assert.equal(await hits(h, 'callsPerCallerPerMinute'), 1);
    const other = await h.peer('Other', OTHER);
    other.send({ type: 'call', to: callee.peerId });
    assert.equal((await callee.next('incoming-call')).from.peerId, other.peerId);
    other.send({ type: 'call-cancel', callId: (await other.next('call-ringing')).callId });
    await callee.next('call-ended');
    h.clock.advance(60_000);
    caller.send({ type: 'call', to: callee.peerId });
    await callee.next('incoming-call');
  });

  it('keys every limit on the clientAddress hook', async () => {
    h = await startSignaling({
      limits: { maxSessionsPerAddress: 1 },
      clientAddress: (request) => String(request.headers['x-client'] ?? 'none'),
    });
    await h.peer('One', { headers: { 'x-client': 'office' } });
    await h.peer('Two', { headers: { 'x-client': 'home' } });
    const third = await h.connect({ headers: { 'x-client': 'office' } });
    third.sendJson({ type: 'hello', version: 1, displayName: 'Three', requestId: 'h' });
    await refusedWith(third, 'ADDRESS_LIMIT', 'h');
  });
});

describe('queued bytes per sender address', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('one address cannot fill the detached queues: past maxQueuedBytesPerAddress it hears SERVER_BUSY, others still queue', async () => {
    const perAddress = 100_000;
    h = await startSignaling({
      limits: { rateLimitPerSecond: 1_000_000, rateLimitBurst: 1_000_000, maxQueuedBytesPerAddress: perAddress },
    });
    const a = await h.peer('A');
    const b = await h.peer('B', OTHER);
    const away = [
      await h.peer('D1', { localAddress: '127.0.0.3' }),
      await h.peer('D2', { localAddress: '127.0.0.3' }),
      await h.peer('D3', { localAddress: '127.0.0.3' }),
    ];
    for (const client of [a, b, ...away]) {
      await client.join('r');
    }
    for (const client of away) {
      h.signaling.terminate(client.peerId);
      await client.whenClosed();
    }
    const chunk = { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(20_000) } } as const;
    /** A sends to the detached peers in turn (so no single queue is full) until refused; returns how many were queued. */
    const floodFromA = async (targets: TestClient[]): Promise<number> => {
      for (let n = 0; n < 20; n++) {
        a.send({ type: 'signal', to: targets[n % targets.length]!.peerId, data: chunk, requestId: `a${n}` });
        await a.sync();
        const refused = a.inbox.find((m) => m.type === 'error' && m.requestId === `a${n}`);
        if (refused !== undefined) {
          assert.equal(refused.type === 'error' && refused.code, 'SERVER_BUSY');
          a.inbox.length = 0;
          return n;
        }
      }
      throw new Error('A was never refused');
    };
    assert.equal(await floodFromA(away), 4, 'four 20 kB signals fit in 100 kB, the fifth does not');
    assert.ok(h.signaling.stats().queuedBytes <= perAddress, 'within the address share');
    assert.equal(await hits(h, 'maxQueuedBytesPerAddress'), 1);
    b.send({ type: 'signal', to: away[0]!.peerId, data: chunk, requestId: 'b' });
    await b.expectNothing('error'); // another address still queues for the same detached peer
    // A's charge is given back when a queue is delivered (D1 resumes: two of A's signals)...
    const d1 = await h.connect({ localAddress: '127.0.0.3' });
    assert.equal((await d1.hello('D1', { resumeToken: away[0]!.resumeToken })).resumed, true);
    assert.equal(await floodFromA(away.slice(1)), 2);
    // ...and when a queue is dropped (the grace of D2 and D3 runs out): A may fill a fresh share.
    h.clock.advance(15_000);
    assert.equal(h.counts().detached, 0);
    h.signaling.terminate(d1.peerId);
    await d1.whenClosed();
    assert.equal(await floodFromA([d1]), 4);
  });
});
