import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { startSignaling, type Harness } from './test-server.js';

/** Opens a socket and returns the HTTP status and body of a refused handshake. */
function refusal(url: string, origin?: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.on('error', () => {});
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the socket opened'));
    });
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }),
      );
    });
  });
}

describe('origin check', { timeout: 60_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('refuses a socket whose Origin the hook refuses with 403 ORIGIN_REFUSED, and counts it', async () => {
    const seen: (string | undefined)[] = [];
    h = await startSignaling({
      checkOrigin: (origin) => {
        seen.push(origin);
        return origin === 'https://app.example';
      },
    });
    const refused = await refusal(h.url, 'https://evil.example');
    assert.equal(refused.status, 403);
    assert.equal(refused.type, 'application/json');
    const body = JSON.parse(refused.body) as { error: string; message: string };
    assert.equal(body.error, 'ORIGIN_REFUSED');
    assert.ok(body.message.length > 0);
    assert.equal((await refusal(h.url)).status, 403, "no Origin is the policy's call too");
    assert.equal(await h.metric('rendezvous_signaling_limit_hits_total', { limit: 'origin' }), 2);
    await h.peer('Good', { origin: 'https://app.example' });
    assert.deepEqual(seen, ['https://evil.example', undefined, 'https://app.example']);
    assert.equal(h.counts().sessions, 1);
  });

  it('allows every origin without a hook', async () => {
    h = await startSignaling();
    await h.peer('Anyone', { origin: 'https://elsewhere.example' });
    await h.peer('Nobody');
  });
});
