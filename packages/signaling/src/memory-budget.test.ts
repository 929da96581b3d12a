import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import type { SignalData } from '@rendezvous/protocol';
import { FakeClock } from '@rendezvous/common';
import { DRAIN_THRESHOLD_BYTES, MemoryBudget, QUEUED_SHARE, type BudgetedSocket, type SlowReason } from './memory-budget.js';
import type { Logger } from './options.js';
import type { TestClient } from './test-client.js';
import { startSignaling, type Harness } from './test-server.js';

const MIB = 1024 * 1024;
const big: SignalData = { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(60_000) } };
/** No per-socket rate limit in the way of a flood. */
const UNLIMITED = { rateLimitPerSecond: 1_000_000, rateLimitBurst: 1_000_000 };

const socketOf = (client: TestClient): Socket => (client.ws as unknown as { _socket: Socket })._socket;
const hits = (h: Harness, limit: string): Promise<number> => h.metric('rendezvous_signaling_limit_hits_total', { limit });

/** Sends big signals to `to` until the server holds more than `bytes` unsent (or gives up after ~40 MB). */
async function floodUntilBuffered(h: Harness, from: TestClient, to: TestClient, bytes: number): Promise<void> {
  for (let round = 0; round < 60 && h.signaling.stats().bufferedBytes <= bytes; round++) {
    for (let n = 0; n < 10; n++) {
      from.send({ type: 'signal', to: to.peerId, data: big });
    }
    await from.sync();
  }
  assert.ok(h.signaling.stats().bufferedBytes > bytes, `the server buffers more than ${bytes} bytes`);
}

/** Two peers in one room, `slow` no longer reading its socket. */
async function slowReaderInRoom(h: Harness): Promise<{ slow: TestClient; flooder: TestClient }> {
  const slow = await h.peer('Slow');
  const flooder = await h.peer('Flooder');
  await slow.join('r');
  await flooder.join('r');
  await slow.next('peer-joined');
  socketOf(slow).pause(); // stops reading; the kernel buffers fill, then the server's
  return { slow, flooder };
}

describe('memory budget and slow consumers', { timeout: 120_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('cuts a socket that does not drain within drainTimeoutMs, even though it keeps sending; its session detaches', async () => {
    h = await startSignaling({ limits: { ...UNLIMITED, drainTimeoutMs: 15_000 } });
    const { slow, flooder } = await slowReaderInRoom(h);
    await floodUntilBuffered(h, flooder, slow, DRAIN_THRESHOLD_BYTES);
    h.clock.advance(14_999);
    slow.sendJson({ type: 'media-state', media: { audioMuted: true, videoMuted: false, screenSharing: false } });
    await flooder.next('peer-updated'); // the slow socket still sends (and is heard): that does not save it
    assert.equal(h.counts().detached, 0);
    h.clock.advance(1);
    assert.equal(h.counts().detached, 1, 'cut at drainTimeoutMs; the session waits for a resume');
    assert.equal(h.signaling.stats().bufferedBytes, 0, 'its unsent bytes left the budget');
    assert.equal(await hits(h, 'drainTimeoutMs'), 1);
    await flooder.expectNothing('peer-left');
    const back = await h.connect();
    assert.equal((await back.hello('Slow', { resumeToken: slow.resumeToken })).resumed, true);
  });

  it('keeps a socket that falls behind but drains within drainTimeoutMs', async () => {
    h = await startSignaling({ limits: { ...UNLIMITED, drainTimeoutMs: 15_000 } });
    const { slow, flooder } = await slowReaderInRoom(h);
    await floodUntilBuffered(h, flooder, slow, DRAIN_THRESHOLD_BYTES);
    h.clock.advance(10_000);
    socketOf(slow).resume();
    await slow.sync(); // everything queued before the probe's answer has been read
    assert.ok(h.signaling.stats().bufferedBytes <= DRAIN_THRESHOLD_BYTES);
    h.clock.advance(60_000);
    assert.equal(h.counts().detached, 0);
    assert.equal(await hits(h, 'drainTimeoutMs'), 0);
  });

  it('a socket past maxBufferedBytes is cut at once, not fed to the void: after its resume it gets every later message, in order', async () => {
    const warnings: unknown[][] = [];
    const noop = (): void => {};
    const logger: Logger = { debug: noop, info: noop, error: noop, warn: (...args) => warnings.push(args), child: () => logger };
    const maxBufferedBytes = 256 * 1024;
    h = await startSignaling({ logger, limits: { ...UNLIMITED, maxBufferedBytes, drainTimeoutMs: 3_600_000 } });
    const { slow, flooder } = await slowReaderInRoom(h);
    const numbered = (n: number): SignalData => ({
      kind: 'description',
      description: { type: 'offer', sdp: `${n} ${'x'.repeat(30_000)}` },
    });
    let sent = 0;
    for (let round = 0; round < 400 && h.counts().detached === 0; round++) {
      for (let n = 0; n < 10; n++) {
        flooder.send({ type: 'signal', to: slow.peerId, data: numbered(sent++), requestId: `s${sent}` });
      }
      await flooder.sync();
    }
    assert.equal(h.counts().detached, 1, 'cut as a slow consumer; its session waits for a resume');
    assert.equal(await hits(h, 'maxBufferedBytes'), 1);
    assert.equal(await hits(h, 'drainTimeoutMs'), 0, 'at the threshold, not after the drain timeout (the clock never moved)');
    assert.equal(warnings.length, 1, 'one log line');
    const afterCut = sent;
    for (let n = 0; n < 3; n++) {
      flooder.send({ type: 'signal', to: slow.peerId, data: numbered(sent++) });
    }
    await flooder.expectNothing('error'); // nothing refused, nothing dropped
    const back = await h.connect();
    assert.equal((await back.hello('Slow', { resumeToken: slow.resumeToken })).resumed, true);
    await back.sync();
    const numbers = back.inbox.flatMap((m) =>
      m.type === 'signal' && m.data.kind === 'description' ? [Number(m.data.description.sdp.split(' ')[0])] : [],
    );
    assert.ok(numbers.length > 3, `the message that met the full socket was queued too (${numbers.join(',')})`);
    assert.ok(numbers[0]! < afterCut, 'the queue starts with the message that found the socket full');
    assert.deepEqual(
      numbers,
      Array.from({ length: numbers.length }, (_, i) => numbers[0]! + i),
      'in order, none missing',
    );
    assert.equal(numbers.at(-1), sent - 1);
    socketOf(slow).resume(); // lets the cut socket finish closing
  });

  it('detached queues take at most half of memoryBudgetBytes: they never cost a live socket its messages', async () => {
    const budget = 256 * 1024;
    h = await startSignaling({ limits: { ...UNLIMITED, memoryBudgetBytes: budget, maxQueuedBytesWhileDetached: budget } });
    const away = await h.peer('Away');
    const [b, c] = [await h.peer('B'), await h.peer('C')];
    for (const client of [away, b, c]) {
      await client.join('r');
    }
    const [x, y] = [await h.peer('X', { localAddress: '127.0.0.2' }), await h.peer('Y', { localAddress: '127.0.0.2' })];
    await x.join('s');
    await y.join('s');
    h.signaling.terminate(away.peerId);
    await away.whenClosed();
    const chunk: SignalData = { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(30_000) } };
    // Each sender may fill half of Away's queue (128 KiB): together they would fill the whole budget.
    for (let n = 0; n < 4; n++) {
      for (const sender of [b, c]) {
        sender.send({ type: 'signal', to: away.peerId, data: chunk, requestId: `q${n}` });
      }
    }
    await b.sync();
    await c.sync();
    const { queuedBytes } = h.signaling.stats();
    assert.ok(queuedBytes > budget / 2 - 31_000 && queuedBytes <= budget / 2, `queued ${queuedBytes} of ${budget}`);
    assert.equal((await c.errorFor('q3')).code, 'SERVER_BUSY', "past the queues' half, senders hear SERVER_BUSY");
    // Two clients elsewhere still get every message, and nobody is cut to make room.
    for (let n = 0; n < 3; n++) {
      x.send({ type: 'signal', to: y.peerId, data: chunk });
    }
    for (let n = 0; n < 3; n++) {
      assert.equal((await y.next('signal')).from, x.peerId);
    }
    assert.equal(await hits(h, 'memoryBudgetBytes'), 0);
    assert.equal(h.counts().detached, 1);
  });

  it('many slow readers and full detached queues stay within memoryBudgetBytes; RSS stays bounded', async () => {
    const budget = 8 * MIB;
    const count = 12; // each one past the ~4 MB the kernel takes on loopback: together well past the budget
    h = await startSignaling({
      limits: { ...UNLIMITED, memoryBudgetBytes: budget, roomCapacity: count + 1, maxBufferedBytes: 16 * MIB },
    });
    const flooder = await h.peer('Flooder');
    await flooder.join('r');
    const readers: TestClient[] = [];
    for (let n = 0; n < count; n++) {
      const reader = await h.peer(`Reader ${n}`);
      await reader.join('r');
      await flooder.next('peer-joined');
      readers.push(reader);
    }
    for (const reader of readers) {
      socketOf(reader).pause();
    }
    const rssBefore = process.memoryUsage().rss;
    let peak = 0;
    let allCut = -1;
    // Until every reader has been cut, then a few rounds more into the full detached queues.
    for (let round = 0; round < 300 && (allCut < 0 || round <= allCut + 5); round++) {
      for (const reader of readers) {
        flooder.send({ type: 'signal', to: reader.peerId, data: big });
      }
      await flooder.sync();
      const { bufferedBytes, queuedBytes } = h.signaling.stats();
      peak = Math.max(peak, bufferedBytes + queuedBytes);
      assert.ok(bufferedBytes + queuedBytes <= budget, `round ${round}: ${bufferedBytes} + ${queuedBytes} within ${budget}`);
      assert.ok(queuedBytes <= budget * QUEUED_SHARE, `round ${round}: queues ${queuedBytes} within their share`);
      flooder.inbox.length = 0; // SERVER_BUSY answers for readers that were cut
      if (allCut < 0 && h.counts().detached === count) {
        allCut = round;
      }
    }
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    assert.ok(allCut >= 0, 'every slow reader was cut in the end');
    assert.ok(peak > budget / 2, `the flood reached the budget (peak ${peak})`);
    assert.ok((await hits(h, 'memoryBudgetBytes')) > 0, 'the heaviest sockets were cut');
    assert.ok(h.signaling.stats().queuedBytes > budget / 4, 'messages for cut readers were queued, within the budget');
    assert.ok(rssGrowth < 64 * MIB, `RSS grew ${Math.round(rssGrowth / MIB)} MiB`);
  });
});

/** A socket whose real unsent bytes (`actual`) change behind the budget's back, as a kernel drains them. */
class FakeSocket implements BudgetedSocket {
  unsent = 0;
  actual = 0;
  constructor(private readonly budget: MemoryBudget) {}
  measure(): number {
    const before = this.unsent;
    this.unsent = this.actual;
    if (before !== this.actual) {
      this.budget.changed(this, before, this.actual);
    }
    return this.actual;
  }
}

describe('lazy accounting of unsent bytes', () => {
  function setup(budgetBytes = 1_000_000): { budget: MemoryBudget; clock: FakeClock; cuts: [FakeSocket, SlowReason][] } {
    const clock = new FakeClock();
    const cuts: [FakeSocket, SlowReason][] = [];
    const budget: MemoryBudget = new MemoryBudget({
      budgetBytes,
      drainTimeoutMs: 15_000,
      maxQueuedBytesPerAddress: budgetBytes,
      clock,
      onSlow: (socket, reason) => {
        const fake = socket as FakeSocket;
        cuts.push([fake, reason]);
        budget.changed(fake, fake.unsent, 0);
        fake.unsent = fake.actual = 0;
      },
    });
    return { budget, clock, cuts };
  }

  it('a drain clock measures its socket when it runs out: one that drained unseen is not cut', () => {
    const { budget, clock, cuts } = setup();
    const [drains, stuck] = [new FakeSocket(budget), new FakeSocket(budget)];
    for (const socket of [drains, stuck]) {
      socket.actual = DRAIN_THRESHOLD_BYTES + 1;
      socket.measure();
    }
    drains.actual = 0; // written out, and nothing sent since: nobody measured it
    assert.equal(budget.bufferedBytes, 2 * (DRAIN_THRESHOLD_BYTES + 1), 'stale until measured');
    clock.advance(15_000);
    assert.deepEqual(cuts, [[stuck, 'drainTimeoutMs']]);
    assert.equal(budget.bufferedBytes, 0);
    assert.equal(clock.pending, 0);
  });

  it('a full budget measures the sockets with bytes outstanding before it cuts anyone', () => {
    const { budget, cuts } = setup(100_000);
    const [drained, other] = [new FakeSocket(budget), new FakeSocket(budget)];
    drained.actual = 90_000;
    drained.measure();
    drained.actual = 0;
    assert.equal(budget.admitSend(other, 'x'.repeat(20_000)), true, 'fits once the stale count is measured');
    assert.deepEqual(cuts, []);
    assert.equal(budget.bufferedBytes, 0);
    other.actual = 90_000;
    other.measure();
    assert.equal(budget.admitSend(drained, 'x'.repeat(20_000)), true, 'the heaviest socket is cut to make room');
    assert.deepEqual(cuts, [[other, 'memoryBudgetBytes']]);
    budget.close();
  });
});
