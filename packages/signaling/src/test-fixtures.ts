import type { IncomingMessage } from 'node:http';
import { FakeClock, silentLogger } from '@rendezvous/common';
import { WebSocket } from 'ws';
import { Connection } from './connection.js';
import { MemoryBudget } from './memory-budget.js';
import { createMetrics } from './metrics.js';
import { Session } from './session.js';

/** Sessions and connections without a server or sockets, for tests of what they own. */
export class Fixtures {
  readonly clock = new FakeClock();
  readonly budget = new MemoryBudget({
    budgetBytes: 1 << 20,
    drainTimeoutMs: 1_000,
    maxQueuedBytesPerAddress: 1 << 20,
    clock: this.clock,
    onSlow: () => {},
  });
  private readonly metrics = createMetrics(undefined, () => ({ sessions: 0, rooms: 0, bufferedBytes: 0, queuedBytes: 0 }));
  private next = 0;

  session(name = `peer${++this.next}`): Session {
    const peerId = `${name}-${'x'.repeat(8)}`;
    return new Session({
      peerId,
      displayName: name,
      userId: undefined,
      resumeToken: `token-${peerId}`,
      address: '192.0.2.1',
      deps: { log: silentLogger, queueLimits: { maxCount: 8, maxBytes: 4096 }, budget: this.budget, clock: this.clock },
    });
  }

  /** A connection over a stand-in socket that is open and accepts every send. */
  connection(): Connection {
    const ws = {
      readyState: WebSocket.OPEN,
      bufferedAmount: 0,
      send() {},
      close() {},
      terminate() {},
      ping() {},
    } as unknown as WebSocket;
    const deps = { log: silentLogger, metrics: this.metrics, maxBufferedBytes: 1 << 20, budget: this.budget, clock: this.clock };
    return new Connection(ws, {} as IncomingMessage, deps, '192.0.2.1', 1_000, this.clock.now());
  }
}
