import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prng } from '@rendezvous/common';
import { MemoryNetwork } from './memory-network.js';
import { PortPool } from './port-pool.js';
import { RelayPorts } from './relay-ports.js';

const HOST = { bind: '127.0.0.1', advertised: '127.0.0.1', family: 'IPv4' as const };

describe('RelayPorts', () => {
  it('binds past a block of ports other software holds: after a failed port it looks elsewhere in the range', async () => {
    const network = new MemoryNetwork();
    // Ports 50000-50199 are held elsewhere, and the rotation starts at the block's first port.
    for (let port = 50_000; port < 50_200; port++) {
      network.occupied.add(`127.0.0.1|${port}`);
    }
    let first = true;
    const random = prng(7);
    const pool = new PortPool(50_000, 50_999, () => (first ? ((first = false), 0) : random()));
    const relays = new RelayPorts(pool, network, 40, () => {});
    const bound = await relays.bind(HOST, undefined, 0);
    assert.ok(bound !== null, 'a free port outside the block, within 40 attempts');
    assert.ok(bound.socket.port >= 50_200);
    relays.close();
  });

  it('answers null when every attempt fails, and holds no port afterwards', async () => {
    const network = new MemoryNetwork();
    for (let port = 50_000; port <= 50_009; port++) {
      network.occupied.add(`127.0.0.1|${port}`);
    }
    const pool = new PortPool(50_000, 50_009);
    const relays = new RelayPorts(pool, network, 40, () => {});
    assert.equal(await relays.bind(HOST, undefined, 0), null);
    assert.equal(pool.free, 10);
    relays.close();
  });
});
