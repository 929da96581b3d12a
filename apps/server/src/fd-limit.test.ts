import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createClientView } from './client-address.js';
import { loadConfig } from './config.js';
import { allocationQuotaFor, openFileLimit, parseOpenFileLimit } from './fd-limit.js';
import { createLogger } from './logger.js';
import { createTrustedHosts } from './trusted-hosts.js';
import { startTurnService } from './turn-service.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

test('the soft open-file limit is read from /proc/self/limits; unlimited or missing is unknown', () => {
  assert.equal(parseOpenFileLimit(LIMITS), 1024);
  assert.equal(parseOpenFileLimit(LIMITS.replace('1024  ', 'unlimited')), undefined);
  assert.equal(parseOpenFileLimit('garbage'), undefined);
  const own = openFileLimit();
  assert.ok(own === undefined || (Number.isInteger(own) && own > 0));
});

test('TURN allocations are lowered to half the descriptor table, never raised', () => {
  assert.deepEqual(allocationQuotaFor(10_000, 1024), { quota: 512, lowered: true });
  assert.deepEqual(allocationQuotaFor(100, 1024), { quota: 100, lowered: false });
  assert.deepEqual(allocationQuotaFor(10_000, 1_048_576), { quota: 10_000, lowered: false });
  assert.deepEqual(allocationQuotaFor(10_000, undefined), { quota: 10_000, lowered: false });
});

test('under an open-file limit of 256 the TURN service runs with 128 allocations at most, and says so once', async () => {
  const config = loadConfig({
    argv: [],
    env: {},
    overrides: { host: '127.0.0.1', port: 0, sfuPort: 0, logLevel: 'silent', turnHost: '127.0.0.1', turnPort: 0 },
  });
  const warnings: unknown[] = [];
  const logger = Object.assign(createLogger('silent'), { warn: (obj: unknown) => warnings.push(obj) });
  const deps = {
    registry: new Registry(),
    logger,
    stateDir: mkdtempSync(join(tmpdir(), 'rv-fd-')),
    trustedHosts: createTrustedHosts({ publicHost: undefined, allowedOrigins: [] }),
    client: createClientView({ trustProxy: false, scheme: 'http' }),
  };
  const turn = await startTurnService(config, { ...deps, openFileLimit: 256 });
  try {
    assert.equal(turn.server.limits.maxAllocations, 128);
    assert.deepEqual(warnings, [{ configured: 10_000, allowed: 128, openFileLimit: 256 }]);
  } finally {
    await turn.close();
  }
  const roomy = await startTurnService(config, { ...deps, registry: new Registry(), openFileLimit: 1_048_576 });
  assert.equal(roomy.server.limits.maxAllocations, 10_000);
  await roomy.close();
});
