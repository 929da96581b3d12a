import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzSeed, prng } from '@rendezvous/common';
import { helloGetsWelcome, rawGet, rawRequest, startTestServer } from './test-raw-http.js';

const REQUESTS = Number(process.env['HTTP_FUZZ_REQUESTS'] ?? 10_000);
const CONCURRENCY = 16;
/** Fixed by default; FUZZ_SEED=<n> replays seed n, FUZZ_SEED=random tries a fresh one (printed). */
const SEED = fuzzSeed(20261130, process.env['FUZZ_SEED']);
/** The whole run must finish within this (a bound, not a wait); ~10 s on a shared 2-core machine. */
const DEADLINE_MS = 120_000;

const METHODS = [
  'GET',
  'GET',
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PROPFIND',
  'CONNECT',
  'get',
  'FROB',
  '',
  'G\0T',
];
const TARGETS = [
  '/',
  '/healthz',
  '/metrics',
  '/api/ice-servers',
  '/api/nope',
  '/ws',
  '/room/brave-otter',
  '/assets/x.js.map',
  '//[',
  '//x:99999',
  '/%',
  '/%E0%A4%A',
  '/%C0%AF',
  '/..%2f..%2fetc/passwd',
  '/../etc/passwd',
  '*',
  'http://evil/',
  '/?q=%zz',
  '/\\x',
];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.x', '', 'ICE/1.0', 'HTTP/0.9'];
const HEADERS = [
  'Host: 127.0.0.1',
  'Host: evil.example',
  'Host: [::1',
  'Host: a b',
  'Host: x:99999',
  'Content-Length: 5',
  'Content-Length: -1',
  'Content-Length: 99999999999999999999',
  'Transfer-Encoding: chunked',
  'Transfer-Encoding: gzip, chunked',
  'Connection: Upgrade',
  'Upgrade: websocket',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  'Origin: https://evil.example',
  'Origin: null',
  'Range: bytes=9-1',
  'Range: bytes=-5',
  'Range: bytes=0-0,5-9',
  'X-Forwarded-For: 1.2.3.4, ::1',
  'Expect: 100-continue',
  'If-None-Match: *',
  'NoColon',
  ' leading-space: x',
  'X-Nul: a\0b',
];

function randomBytes(random: () => number, max: number): string {
  let out = '';
  const length = Math.floor(random() * max);
  for (let i = 0; i < length; i++) {
    out += String.fromCharCode(Math.floor(random() * 256));
  }
  return out;
}

/**
 * One random request: a mix of plausible parts, junk, random bytes, mutations and truncation. Malformed
 * ones half-close the connection after writing (a truncated request must not keep the exchange waiting);
 * well-formed ones do not (a half-close aborts a response still being prepared, as it should).
 */
function randomRequest(random: () => number): { bytes: Buffer; end: boolean } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // A third are well-formed GET/HEADs with odd headers, so the routes themselves get exercised too.
  if (random() < 0.33) {
    const lines = [`${pick(['GET', 'HEAD'])} ${pick(TARGETS.slice(0, 7))} HTTP/1.1`, 'Host: 127.0.0.1'];
    for (let i = Math.floor(random() * 3); i > 0; i--) {
      lines.push(pick(HEADERS.slice(16, 22)));
    }
    return { bytes: Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), end: false };
  }
  const eol = random() < 0.9 ? '\r\n' : '\n';
  const target = random() < 0.8 ? pick(TARGETS) : `/${randomBytes(random, 40)}`;
  const lines = [`${pick(METHODS)} ${target}${random() < 0.95 ? ` ${pick(VERSIONS)}` : ''}`];
  const headerCount = Math.floor(random() * 6);
  for (let i = 0; i < headerCount; i++) {
    lines.push(random() < 0.85 ? pick(HEADERS) : `${randomBytes(random, 20)}: ${randomBytes(random, 60)}`);
  }
  if (random() < 0.02) {
    lines.push(`X-Big: ${'a'.repeat(17_000)}`);
  }
  let text = `${lines.join(eol)}${eol}${eol}`;
  if (random() < 0.3) {
    text += random() < 0.5 ? 'zz\r\nxxx\r\n' : randomBytes(random, 64);
  }
  const bytes = Buffer.from(text, 'latin1');
  if (random() < 0.15) {
    for (let i = 0; i < 1 + Math.floor(random() * 4); i++) {
      bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    }
  }
  return { bytes: random() < 0.1 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes, end: true };
}

test(`${REQUESTS} random HTTP requests on raw sockets leave the server up and serving`, { timeout: DEADLINE_MS }, async () => {
  let uncaught = 0;
  const onUncaught = (): void => {
    uncaught++;
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
  const server = await startTestServer();
  try {
    const random = prng(SEED);
    const requests = Array.from({ length: REQUESTS }, () => randomRequest(random));
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const { bytes, end } = requests[next++]!;
        const response = await rawRequest(server, bytes, { end });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const summary = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
    console.log(`seed ${SEED}: statuses ${JSON.stringify(summary)}`);
    assert.equal([...statuses.keys()].filter((status) => status >= 500).length, 0, `no 5xx: ${JSON.stringify(summary)}`);
    assert.equal(uncaught, 0, 'no uncaught exception or unhandled rejection');
    assert.equal(server.httpServer.listening, true);
    assert.equal((await rawGet(server, '/healthz')).status, 200);
    await helloGetsWelcome(server);
  } finally {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    await server.close();
  }
});
