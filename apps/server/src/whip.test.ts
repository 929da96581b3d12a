import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@rendezvous/protocol';
import { startRendezvous, type RunningServer } from './app.js';
import { loadConfig, type Config } from './config.js';
import { OBS_OFFER } from './whip-offer.test-util.js';

const KEY = 'whip-http-test-key-0123456789';

const start = (overrides: Partial<Config> = {}): Promise<RunningServer> =>
  startRendezvous(
    loadConfig({
      argv: [],
      env: {},
      overrides: { host: '127.0.0.1', port: 0, sfuPort: 0, logLevel: 'silent', turn: false, liveStreamKey: KEY, ...overrides },
    }),
  );

let server: RunningServer;
before(async () => {
  server = await start();
});
after(() => server.close());

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', authorization: `Bearer ${KEY}`, ...headers },
    body,
  });
}

async function refusal(response: Response): Promise<[number, string]> {
  const body = (await response.json()) as { error: string };
  return [response.status, body.error];
}

test('OPTIONS names the methods; other methods get 405; PATCH (trickle, ICE restart) is not supported', async () => {
  const options = await fetch(`${server.origin}/live/show/whip`, { method: 'OPTIONS' });
  assert.equal(options.status, 204);
  assert.equal(options.headers.get('allow'), 'POST, OPTIONS');
  const get = await fetch(`${server.origin}/live/show/whip`);
  assert.deepEqual(await refusal(get), [405, 'METHOD_NOT_ALLOWED']);
  assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
  const patch = await fetch(`${server.origin}/live/show/whip/abc`, { method: 'PATCH', body: 'a=candidate' });
  assert.deepEqual(await refusal(patch), [405, 'METHOD_NOT_ALLOWED']);
  assert.equal(patch.headers.get('allow'), 'DELETE, OPTIONS');
});

test('offers that cannot be published: not SDP (400), too big (413), no codec the SFU forwards (422), unreadable to the SFU (400)', async () => {
  assert.deepEqual(await refusal(await post('/live/show/whip', 'hello')), [400, 'SFU_BAD_OFFER']);
  assert.deepEqual(await refusal(await post('/live/show/whip', `v=0\r\n${'a=x\r\n'.repeat(20_000)}`)), [413, 'BAD_REQUEST']);
  const pcmu = OBS_OFFER.replace('opus/48000/2', 'PCMU/8000');
  assert.deepEqual(await refusal(await post('/live/show/whip', pcmu)), [422, 'SFU_CODEC_UNSUPPORTED']);
  // No ICE credentials, no fingerprint: libdatachannel refuses it, and the member that joined for it leaves.
  assert.deepEqual(await refusal(await post('/live/show/whip', OBS_OFFER)), [400, 'SFU_BAD_OFFER']);
  assert.equal(server.sfu?.stats().connections, 0);
  assert.deepEqual([server.signaling.stats().sessions, server.signaling.stats().rooms], [0, 0]);
});

test('a room of that name in mesh mode: 409; the mesh room is untouched', async () => {
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/ws`);
  const messages: { type: string }[] = [];
  ws.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8')) as { type: string }));
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, displayName: 'Ada' }));
  ws.send(JSON.stringify({ type: 'join', room: 'meshy', mode: 'mesh' }));
  while (!messages.some((m) => m.type === 'joined')) {
    await once(ws, 'message');
  }
  assert.deepEqual(await refusal(await post('/live/meshy/whip', OBS_OFFER)), [409, 'SFU_UNAVAILABLE']);
  assert.equal(server.signaling.stats().sessions, 1);
  assert.ok(!messages.some((m) => m.type === 'peer-joined'), 'nobody joined the mesh room');
  ws.close();
  await once(ws, 'close');
});

test('WHIP is off without --live-stream-key (403), and answers 503 without the SFU', async () => {
  const off = await start({ liveStreamKey: undefined });
  const sfuOff = await start({ sfu: false });
  try {
    const refused = await fetch(`${off.origin}/live/show/whip`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', authorization: `Bearer ${KEY}` },
      body: OBS_OFFER,
    });
    assert.equal(refused.status, 403);
    assert.match(((await refused.json()) as { message: string }).message, /--live-stream-key/);
    const noSfu = await fetch(`${sfuOff.origin}/live/show/whip`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', authorization: `Bearer ${KEY}` },
      body: OBS_OFFER,
    });
    assert.deepEqual(await refusal(noSfu), [503, 'SFU_UNAVAILABLE']);
  } finally {
    await off.close();
    await sfuOff.close();
  }
});

test('wrong stream keys: 401 up to the per-address budget, then 429 with Retry-After before any key is read', async () => {
  const guarded = await start({ whipKeyFailuresPerMinute: 3 });
  const attempt = (key: string) =>
    fetch(`${guarded.origin}/live/show/whip`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', authorization: `Bearer ${key}` },
      body: OBS_OFFER,
    });
  try {
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await refusal(await attempt(`wrong-key-${i}-0123456789`)), [401, 'UNAUTHORIZED']);
    }
    const limited = await attempt('wrong-key-3-0123456789');
    assert.equal(limited.headers.get('retry-after'), '20');
    assert.deepEqual(await refusal(limited), [429, 'HTTP_RATE_LIMITED']);
    // The right key waits too: past the budget nothing is compared, so guessing learns nothing.
    assert.deepEqual(await refusal(await attempt(KEY)), [429, 'HTTP_RATE_LIMITED']);
    const metrics = await (await fetch(`${guarded.origin}/metrics`)).text();
    assert.match(metrics, /rendezvous_http_rejected_total\{reason="whip_key_rate"\} 2/);
  } finally {
    await guarded.close();
  }
});
