import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { StunMethod, getErrorCode, getXorMappedAddress, getXorRelayedAddress } from '@rendezvous/stun';
import { parseCli } from './cli-args.js';
import { closeAllClients, connectUdp } from './socket-client.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('command line', { timeout: 30_000 }, () => {
  it('parses flags into options', () => {
    const parsed = parseCli([
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--realm',
      'r',
      '--secret',
      's',
      '--user',
      'a:b:c',
      '--user',
      'd:e',
      '--allow-peer',
      '10.0.0.0/8',
      '--allow-peer',
      '127.0.0.0/8',
      '--relay-ports',
      '50000-50010',
      '--user-quota',
      '50',
      '--total-quota',
      '500',
      '--legacy-channels',
      '--relay-address',
      '203.0.113.1',
      '--address-quota',
      '20',
      '--tcp-per-address',
      '30',
      '--relay-bytes-per-second',
      '0',
      '--max-credential-ttl',
      '3600',
    ]);
    assert.equal(parsed.kind, 'run');
    if (parsed.kind !== 'run') {
      return;
    }
    assert.deepEqual(parsed.options.users, { a: 'b:c', d: 'e' });
    assert.deepEqual(parsed.options.allowPeers, ['10.0.0.0/8', '127.0.0.0/8']);
    assert.deepEqual(parsed.options.limits, {
      relayPortMin: 50000,
      relayPortMax: 50010,
      maxAllocationsPerUser: 50,
      maxAllocations: 500,
      maxAllocationsPerAddress: 20,
      maxStreamConnectionsPerAddress: 30,
      maxRelayBytesPerSecond: 0,
      maxCredentialTtlSec: 3600,
    });
    assert.equal(parsed.options.port, 0);
    assert.equal(parsed.options.legacyChannelNumbers, true);
    assert.equal(parsed.options.relayAddressOverride, '203.0.113.1');
    assert.deepEqual(parseCli(['--help']), { kind: 'help' });
  });

  it('refuses malformed flags', () => {
    for (const args of [
      ['--port', 'x'],
      ['--port', '70000'],
      ['--user', 'nocolon'],
      ['--relay-ports', '9-1'],
      ['--cert', 'c'],
      ['--nope'],
      ['--address-quota', '0'],
    ]) {
      assert.equal(parseCli(args).kind, 'error', args.join(' '));
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`runs standalone, prints its addresses, serves, and exits 0 on ${signal}`, async (t) => {
      const child = spawn(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          'tsx',
          MAIN,
          '--port',
          '0',
          '--host',
          '127.0.0.1',
          '--user',
          'bob:pw',
          '--relay-ports',
          '50100-50199',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      t.after(() => {
        closeAllClients();
        if (child.exitCode === null) {
          child.kill('SIGKILL');
        }
      });
      let output = '';
      child.stdout.setEncoding('utf8');
      const udp = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (text: string) => {
          output += text;
          const match = /^udp 127\.0\.0\.1:(\d+)$/m.exec(output);
          if (match !== null && /^tcp 127\.0\.0\.1:\d+$/m.test(output)) {
            resolve(Number(match[1]));
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      assert.match(output, new RegExp(`^tcp 127\\.0\\.0\\.1:${udp}$`, 'm'));
      const client = await connectUdp(udp, '127.0.0.1', { username: 'bob', password: 'pw' });
      assert.deepEqual(getXorMappedAddress(await client.client.request(StunMethod.Binding)), { family: 'IPv4', ...client.local });
      const allocated = await client.client.allocate();
      assert.equal(getErrorCode(allocated), undefined);
      const { port } = getXorRelayedAddress(allocated)!;
      assert.ok(port >= 50100 && port <= 50199, `relay port ${port}`);
      child.kill(signal);
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0);
    });
  }
});
