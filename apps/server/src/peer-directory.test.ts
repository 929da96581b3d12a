import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL_VERSION } from '@rendezvous/protocol';
import WebSocket from 'ws';
import { startRendezvous, type RunningServer as Rendezvous } from './app.js';
import { loadConfig } from './config.js';

/** A socket that hands out its JSON messages in order. */
class Inbox {
  private readonly messages: Array<Record<string, unknown>> = [];
  private waiting: (() => void) | undefined;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
      this.waiting?.();
    });
  }
  static async open(url: string, origin: string): Promise<Inbox> {
    const ws = new WebSocket(url, { origin });
    const inbox = new Inbox(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return inbox;
  }
  async next(type?: string): Promise<Record<string, unknown>> {
    for (;;) {
      const index = this.messages.findIndex((m) => type === undefined || m['type'] === type);
      if (index >= 0) {
        return this.messages.splice(index, 1)[0] ?? {};
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }
  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }
}

async function sdkPeer(server: Rendezvous, id: string | undefined, token?: string): Promise<Inbox> {
  const inbox = await Inbox.open(`${server.origin.replace('http', 'ws')}/ws`, server.origin);
  inbox.send({ type: 'hello', version: PROTOCOL_VERSION, displayName: 'sdk' });
  await inbox.next('welcome');
  inbox.send({
    type: 'peer-open',
    requestId: 'open',
    ...(id === undefined ? {} : { id }),
    ...(token === undefined ? {} : { token }),
  });
  return inbox;
}

const offer = { sdp: { type: 'offer', sdp: 'v=0\r\n' }, type: 'data', connectionId: 'dc_test', serialization: 'json' };
const answer = { sdp: { type: 'answer', sdp: 'v=0\r\n' }, type: 'data', connectionId: 'dc_test' };

test('an SDK peer on /ws and a peerjs client on /peerjs share ids and relay OFFER, ANSWER and LEAVE both ways', async () => {
  const argv = ['--peerjs-leave-timeout-ms', '200', '--peerjs-expire-timeout-ms', '300'];
  const config = loadConfig({
    argv,
    env: {},
    overrides: { host: '127.0.0.1', port: 0, sfuPort: 0, logLevel: 'silent', turn: false },
  });
  const server = await startRendezvous(config);
  try {
    const sdk = await sdkPeer(server, 'sdk-peer', 'a-token-of-sixteen+');
    const opened = await sdk.next();
    assert.equal(opened['type'], 'peer-opened');
    assert.equal(opened['id'], 'sdk-peer');
    assert.equal(opened['requestId'], 'open');

    const js = await Inbox.open(
      `${server.origin.replace('http', 'ws')}/peerjs/peerjs?key=peerjs&id=js-peer&token=t&version=1.5.5`,
      'https://elsewhere.example',
    );
    assert.deepEqual(await js.next(), { type: 'OPEN' });
    const thief = await Inbox.open(
      `${server.origin.replace('http', 'ws')}/peerjs/peerjs?key=peerjs&id=sdk-peer&token=t&version=1.5.5`,
      'https://x.example',
    );
    assert.deepEqual(await thief.next(), { type: 'ID-TAKEN', payload: { msg: 'ID is taken' } });

    js.send({ type: 'OFFER', dst: 'sdk-peer', payload: offer });
    assert.deepEqual(await sdk.next(), {
      type: 'peer-signal',
      message: { type: 'OFFER', src: 'js-peer', dst: 'sdk-peer', payload: offer },
    });
    sdk.send({ type: 'peer-signal', message: { type: 'ANSWER', dst: 'js-peer', payload: answer } });
    assert.deepEqual(await js.next(), { type: 'ANSWER', src: 'sdk-peer', dst: 'js-peer', payload: answer });

    sdk.send({ type: 'peer-signal', message: { type: 'OFFER', dst: 'js-peer', payload: { ...offer, sdp: 5 } } });
    assert.equal((await sdk.next())['code'], 'BAD_MESSAGE', 'an invalid payload is refused, not relayed');
    const other = await sdkPeer(server, 'sdk-peer', 'another-token-ofsixteen');
    assert.equal((await other.next())['code'], 'PEER_ID_TAKEN');
    other.send({ type: 'peer-signal', message: { type: 'LEAVE', dst: 'js-peer' } });
    assert.equal((await other.next())['code'], 'PEER_NOT_OPEN');

    js.ws.close();
    const leave = await sdk.next();
    assert.deepEqual(leave, { type: 'peer-signal', message: { type: 'LEAVE', src: 'js-peer', dst: 'sdk-peer' } });
    sdk.send({ type: 'peer-signal', message: { type: 'OFFER', dst: 'nobody-here', payload: offer } });
    assert.deepEqual(await sdk.next(), { type: 'peer-signal', message: { type: 'EXPIRE', src: 'nobody-here', dst: 'sdk-peer' } });
    for (const inbox of [sdk, thief, other]) {
      inbox.ws.close();
    }
  } finally {
    await server.close();
  }
});

test('the endpoint answers ICE servers to any origin under its key, counts refusals in /metrics, and caps sockets per address', async () => {
  const argv = [
    '--max-connections-per-address',
    '2',
    '--http-connections-per-address',
    '8',
    '--turn-port',
    '0',
    '--sfu-port',
    '0',
  ];
  const config = loadConfig({ argv, env: {}, overrides: { host: '127.0.0.1', port: 0, sfuPort: 0, logLevel: 'silent' } });
  const server = await startRendezvous(config);
  try {
    const ice = await fetch(`${server.origin}/peerjs/peerjs/ice-servers`, { headers: { origin: 'https://elsewhere.example' } });
    assert.equal(ice.status, 200);
    assert.equal(ice.headers.get('access-control-allow-origin'), '*');
    const body = (await ice.json()) as { iceServers: Array<{ urls: string[] | string; username?: string }> };
    assert.ok(
      body.iceServers.some((s) => typeof s.username === 'string' && /^\d+:/.test(s.username)),
      'a TURN REST credential',
    );
    assert.equal((await fetch(`${server.origin}/peerjs/wrong-key/ice-servers`)).status, 404);

    const url = (id: string) => `${server.origin.replace('http', 'ws')}/peerjs/peerjs?key=peerjs&id=${id}&token=t&version=1.5.5`;
    const kept = [await Inbox.open(url('one'), 'https://x.example'), await Inbox.open(url('two'), 'https://x.example')];
    await Promise.all(kept.map((inbox) => inbox.next('OPEN')));
    const third = new WebSocket(url('three'));
    const status = await new Promise<number | undefined>((resolve) =>
      third.once('unexpected-response', (_req, res) => resolve(res.statusCode)),
    );
    assert.equal(status, 429);
    kept[0]?.send({ type: 'OFFER', dst: 'two', payload: { nonsense: true } });
    assert.equal((await kept[0]?.next('ERROR'))?.['type'], 'ERROR');
    const metrics = await (await fetch(`${server.origin}/metrics`)).text();
    assert.match(metrics, /rendezvous_peerjs_refused_total\{reason="address_limit"\} 1/);
    assert.match(metrics, /rendezvous_peerjs_refused_total\{reason="invalid_message"\} 1/);
    assert.match(metrics, /rendezvous_peerjs_peers\{kind="sockets"\} 2/);
    for (const inbox of kept) {
      inbox.ws.close();
    }
  } finally {
    await server.close();
  }
});
