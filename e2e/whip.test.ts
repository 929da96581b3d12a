import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, leftovers, openPeerPage, roomPeerIds, waitMediaFlowing } from './harness/peer.js';
import { accessUnits, testClip, WhipTestClient } from './whip-client.js';
import { waitFor } from './harness/wait-for.js';

const KEY = 'test-stream-key-0123456789';
const ROOM = 'whip-live';
const fx = useFixture(['chromium'], { liveStreamKey: KEY });
const clients: WhipTestClient[] = [];
after(() => Promise.all(clients.map((client) => client.close())));

const endpoint = (): string => `${fx.server.origin}/live/${ROOM}/whip`;

function post(offer: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(endpoint(), {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', authorization: `Bearer ${KEY}`, ...headers },
    body: offer,
  });
}

test('WHIP refusals: a wrong or missing stream key (401), another content type (415), an unknown session (404)', async () => {
  const offer = 'v=0\r\n';
  const wrong = await post(offer, { authorization: 'Bearer not-the-key-0123456789' });
  assert.equal(wrong.status, 401);
  assert.match(wrong.headers.get('www-authenticate') ?? '', /^Bearer/);
  assert.equal(((await wrong.json()) as { error: string }).error, 'UNAUTHORIZED');
  const missing = await fetch(endpoint(), { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: offer });
  assert.equal(missing.status, 401);
  await missing.body?.cancel();
  const text = await post(offer, { 'content-type': 'text/plain' });
  assert.equal(text.status, 415);
  await text.body?.cancel();
  const gone = await fetch(`${endpoint()}/no-such-session`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });
  assert.equal(gone.status, 404);
  await gone.body?.cancel();
  const patch = await fetch(`${endpoint()}/no-such-session`, { method: 'PATCH', headers: { authorization: `Bearer ${KEY}` } });
  assert.equal(patch.status, 405, 'no trickle, no ICE restart');
  await patch.body?.cancel();
  assert.equal(fx.server.sfu?.stats().connections, 0);
  assert.equal(fx.server.signaling.stats().rooms, 0, 'a refused publisher never joins');
});

/** A new client's offer POSTed: the 201 and its headers checked; its Location and answer. */
async function created(client: WhipTestClient): Promise<{ location: string; answer: string }> {
  const offer = await client.offer();
  assert.match(offer, /a=candidate:/, 'the offer carries its candidates');
  const response = await post(offer);
  assert.equal(response.status, 201, await response.clone().text());
  assert.equal(response.headers.get('content-type'), 'application/sdp');
  const location = response.headers.get('location') ?? '';
  assert.match(location, new RegExp(`^/live/${ROOM}/whip/[A-Za-z0-9_-]+$`));
  assert.match(response.headers.get('etag') ?? '', /^".+"$/);
  const links = response.headers.get('link') ?? '';
  assert.match(links, /<stun:[^>]+>; rel="ice-server"/);
  assert.match(links, /<turn:[^>]+>; rel="ice-server"; username="[^"]+"; credential="[^"]+"; credential-type="password"/);
  const answer = await response.text();
  assert.match(answer, new RegExp(`a=candidate:.* ${fx.server.sfu?.port} typ host`), 'a candidate on the SFU port');
  return { location, answer };
}

const remove = (location: string): Promise<Response> =>
  fetch(`${fx.server.origin}${location}`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });

test('an OBS-like WHIP client (H.264 + Opus, declared SSRCs, no trickle) publishes into a live room; Chromium decodes it', async () => {
  const frames = accessUnits(testClip());
  assert.ok(frames.length >= 60, `the clip has ${frames.length} frames`);
  let client = new WhipTestClient();
  clients.push(client);
  let { location, answer } = await created(client);
  try {
    await client.connect(answer);
  } catch (error) {
    // Now and then, on a loaded machine, this libdatachannel client's own connection fails before it has taken the
    // answer (states connecting → failed). The server ends that publisher (at once when its side failed too, else
    // at its connect timeout, 15 s), and the client publishes once more.
    if (!client.states.includes('failed')) {
      throw error;
    }
    console.log(`the WHIP client's connection failed (${client.states.join(' → ')}); publishing again`);
    await waitFor(() => fx.server.sfu?.stats().connections === 0, 'the server ends the failed publisher', 20_000);
    client = new WhipTestClient();
    clients.push(client);
    ({ location, answer } = await created(client));
    await client.connect(answer);
  }
  client.stream(frames);

  const viewer = await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url);
  await joinRoom(viewer, fx.server.wsUrl, ROOM, 'Viewer', { video: false, audio: false });
  assert.equal(await viewer.evaluate(() => (window.t['room'] as { mode: string }).mode), 'sfu');
  const [publisherId] = await roomPeerIds(viewer);
  assert.ok(publisherId !== undefined, 'the publisher is a member of the room');
  await waitMediaFlowing(viewer, 1, { timeout: 30_000 });

  const deleted = await remove(location);
  assert.equal(deleted.status, 200);
  await viewer.waitForFunction(() => (window.t['room'] as { peers: Map<string, unknown> }).peers.size === 0, {
    polling: 250,
    timeout: 10_000,
  });
  await waitFor(() => fx.server.sfu?.stats().connections === 0, 'the server closes the publisher and the subscription to it');
  const again = await remove(location);
  assert.equal(again.status, 404);
  await again.body?.cancel();
  assert.deepEqual(await leftovers(viewer), { openConnections: 0, liveTracks: 0 });
  await viewer.close();
});
