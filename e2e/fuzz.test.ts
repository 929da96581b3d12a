import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import WebSocket from 'ws';
import type { Room } from '@rendezvous/client';
import { fuzzSeed } from '@rendezvous/common';
import { ERROR_CODES, PROTOCOL_VERSION } from '@rendezvous/protocol';
import { browserOf, useFixture } from './harness/fixture.js';
import { badFrame, prng } from './harness/fuzz-frames.js';
import { joinRoom, openPeerPage, waitMediaFlowing } from './harness/peer.js';

const fx = useFixture(['chromium']);
const CONNECTIONS = 50;
const FRAMES_PER_CONNECTION = 200; // within the default burst, so each frame meets the parser, not the rate limit
/** Fixed by default; FUZZ_SEED=<n> replays seed n, FUZZ_SEED=random tries a fresh one (printed). */
const SEED = fuzzSeed(20261121, process.env['FUZZ_SEED']);

/** One fuzzing connection: says hello, sends its frames, resolves with every error code it got back. */
async function fuzzConnection(url: string, seed: number, maxFrameBytes: number): Promise<string[]> {
  const ws = new WebSocket(url);
  const codes: string[] = [];
  let welcomed = false;
  ws.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as { type: string; code?: string };
    if (message.type === 'welcome') {
      welcomed = true;
    }
    if (message.type === 'error') {
      codes.push(String(message.code));
    }
  });
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, displayName: `fuzz-${seed}` }));
  while (!welcomed) {
    await once(ws, 'message');
  }
  const random = prng(seed);
  for (let i = 0; i < FRAMES_PER_CONNECTION; i++) {
    const frame = badFrame(random, maxFrameBytes);
    if ('text' in frame) {
      ws.send(frame.text);
    } else {
      ws.send(frame.binary);
    }
  }
  while (codes.length < FRAMES_PER_CONNECTION) {
    const [event] = await Promise.race([once(ws, 'message').then(() => ['message']), once(ws, 'close').then(() => ['close'])]);
    if (event === 'close') {
      break;
    }
  }
  ws.close(1000);
  return codes;
}

test(`${CONNECTIONS * FRAMES_PER_CONNECTION} malformed frames: every one gets a typed error, the server stays up, a call elsewhere is undisturbed`, async () => {
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
  const chromium = browserOf(fx, 'chromium');
  const a = await openPeerPage(chromium, fx.pages.url);
  const b = await openPeerPage(chromium, fx.pages.url);
  await joinRoom(a, fx.server.wsUrl, 'steady', 'A');
  await joinRoom(b, fx.server.wsUrl, 'steady', 'B');
  await Promise.all([waitMediaFlowing(a, 1), waitMediaFlowing(b, 1)]);
  for (const page of [a, b]) {
    await page.evaluate(() => {
      const room = window.t['room'] as Room;
      room.on('peer-left', (peer) => window.probe.record('peer-left', peer.peerId));
      room.on('error', (error) => window.probe.record('error', error.code));
    });
  }

  const maxFrameBytes = fx.server.config.maxFrameBytes;
  const results = await Promise.all(
    Array.from({ length: CONNECTIONS }, (_, i) => fuzzConnection(fx.server.wsUrl, SEED + i, maxFrameBytes)),
  );
  const known = new Set<string>(ERROR_CODES);
  const histogram: Record<string, number> = {};
  for (const codes of results) {
    assert.equal(codes.length, FRAMES_PER_CONNECTION, 'every bad frame was answered with an error');
    for (const code of codes) {
      assert.ok(known.has(code), `error code ${code} is in the catalog`);
      histogram[code] = (histogram[code] ?? 0) + 1;
    }
  }
  console.log(`fuzz seed ${SEED}: error codes`, histogram);
  assert.ok(Object.keys(histogram).length >= 4, 'the frames reached several validation paths');

  const health = (await (await fetch(`${fx.server.origin}/healthz`)).json()) as { status: string };
  assert.equal(health.status, 'ok');
  const rejected = await (await fetch(`${fx.server.origin}/metrics`)).text();
  assert.match(rejected, /rendezvous_signaling_rejected_frames_total\{code="BAD_JSON"\} [1-9]/);

  // The call in the other room never noticed.
  await Promise.all([waitMediaFlowing(a, 1), waitMediaFlowing(b, 1)]);
  for (const page of [a, b]) {
    assert.deepEqual(await page.evaluate(() => window.t['events'] ?? {}), {});
  }
  for (const page of [a, b]) {
    await page.close();
  }
});
