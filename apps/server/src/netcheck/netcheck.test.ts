import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { test } from 'node:test';
import {
  addErrorCode,
  addXorMappedAddress,
  decodeMessage,
  getSoftware,
  MessageBuilder,
  StunClass,
  StunMethod,
  verifyFingerprint,
} from '@rendezvous/stun';
import { formatTable, planChecks, runCheck } from './checks.js';
import { iceServersUrl } from './fetch-ice-servers.js';
import { parseIceUrl } from './ice-url.js';
import { stunBinding } from './stun-probe.js';

test('STUN/TURN urls: schemes, default ports, transports, IPv6 brackets', () => {
  assert.deepEqual(parseIceUrl('stun:example.org'), {
    url: 'stun:example.org',
    scheme: 'stun',
    host: 'example.org',
    port: 3478,
    transport: 'udp',
  });
  assert.equal(parseIceUrl('turn:10.0.0.1:3479?transport=tcp')?.transport, 'tcp');
  assert.equal(parseIceUrl('turn:10.0.0.1')?.transport, 'udp');
  assert.deepEqual(parseIceUrl('turns:[2001:db8::1]?transport=tcp'), {
    url: 'turns:[2001:db8::1]?transport=tcp',
    scheme: 'turns',
    host: '2001:db8::1',
    port: 5349,
    transport: 'tls',
  });
  assert.equal(parseIceUrl('TURN:h:1?transport=UDP')?.scheme, 'turn');
  for (const bad of [
    'http://h',
    'turn:',
    'turn:h:0',
    'turn:h:70000',
    'turn:h?transport=sctp',
    'stun:h?transport=udp',
    'turns:h?transport=udp',
    'turn:u@h',
  ]) {
    assert.equal(parseIceUrl(bad), null, bad);
  }
});

test('the ice-servers endpoint sits under the given base URL', () => {
  assert.equal(iceServersUrl('http://localhost:8080').href, 'http://localhost:8080/api/ice-servers');
  assert.equal(iceServersUrl('https://meet.example.org/rdv?x=1#y').href, 'https://meet.example.org/rdv/api/ice-servers');
  assert.equal(iceServersUrl('192.168.1.5:8080').href, 'http://192.168.1.5:8080/api/ice-servers');
  assert.throws(() => iceServersUrl('ftp://h'), /not an http/);
});

test('checks: one per distinct url, STUN first, credentials kept; the table aligns and spans errors', () => {
  const checks = planChecks([
    { urls: ['turns:h:5349?transport=tcp', 'turn:h:3478?transport=udp'], username: 'u', credential: 'c' },
    { urls: 'stun:h:3478' },
    { urls: ['turn:h:3478?transport=udp', 'bogus:x'] },
  ]);
  assert.deepEqual(
    checks.map((c) => [c.label, c.url]),
    [
      ['STUN UDP', 'stun:h:3478'],
      ['TURN UDP', 'turn:h:3478?transport=udp'],
      ['TURN TLS', 'turns:h:5349?transport=tcp'],
      ['STUN ?', 'bogus:x'],
    ],
  );
  assert.deepEqual(checks[1]?.credential, { username: 'u', credential: 'c' });
  const table = formatTable([
    { label: 'STUN UDP', url: 'stun:h:3478', ok: true, address: '203.0.113.9:4000', rttMs: 12, note: 'reflexive' },
    { label: 'TURN TLS', url: 'turns:h:5349?transport=tcp', ok: false, error: 'connection refused' },
  ]).split('\n');
  assert.equal(table.length, 3);
  assert.match(table[1]!, /^STUN UDP {2}stun:h:3478 {17}ok {6}203\.0\.113\.9:4000 {2}12 ms {2}reflexive$/);
  assert.match(table[2]!, /^TURN TLS {2}turns:h:5349\?transport=tcp {2}FAILED {2}connection refused$/);
});

test('a check that cannot run fails with a catalog code and words', async () => {
  const [bare, bogus] = planChecks([{ urls: ['bogus:x', 'turn:h:3478'] }]);
  assert.deepEqual(await runCheck(bogus!, { timeoutMs: 100 }), {
    label: 'STUN ?',
    url: 'bogus:x',
    ok: false,
    code: 'BAD_URL',
    error: 'not a STUN/TURN url this check understands',
  });
  const result = await runCheck(bare!, { timeoutMs: 100 });
  assert.equal(result.code, 'NO_CREDENTIAL');
});

/** A STUN server that answers Binding with XOR-MAPPED-ADDRESS, after ignoring the first `drop` requests. */
async function fakeStun(
  options: { drop?: number; error?: number } = {},
): Promise<{ socket: Socket; port: number; seen: RemoteInfo[] }> {
  const socket = createSocket('udp4');
  const seen: RemoteInfo[] = [];
  socket.on('message', (data, rinfo) => {
    seen.push(rinfo);
    if (seen.length <= (options.drop ?? 0)) {
      return;
    }
    const request = decodeMessage(data);
    assert.equal(request.method, StunMethod.Binding);
    assert.ok(verifyFingerprint(request));
    assert.equal(getSoftware(request), 'rendezvous-netcheck');
    const reply = MessageBuilder.responseTo(request, options.error ? StunClass.ErrorResponse : StunClass.SuccessResponse);
    if (options.error) {
      addErrorCode(reply, options.error);
    } else {
      addXorMappedAddress(reply, { address: rinfo.address, port: rinfo.port });
    }
    socket.send(reply.build(), rinfo.port, rinfo.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return { socket, port: socket.address().port, seen };
}

test('STUN Binding over UDP: the reflexive address, after retransmissions', async () => {
  const server = await fakeStun({ drop: 2 });
  try {
    const result = await stunBinding({ host: '127.0.0.1', port: server.port, transport: 'udp' }, { timeoutMs: 2000, rtoMs: 20 });
    assert.equal(server.seen.length, 3);
    assert.deepEqual(result.mapped, { family: 'IPv4', address: '127.0.0.1', port: server.seen[0]!.port });
    assert.equal(result.server, `127.0.0.1:${server.port}`);
    assert.ok(result.rttMs >= 40, `rtt ${result.rttMs} counts from the first transmission`);
  } finally {
    server.socket.close();
  }
});

test('STUN Binding: an error response and silence are reported in words', async () => {
  const refusing = await fakeStun({ error: 400 });
  const silent = await fakeStun({ drop: Infinity });
  try {
    await assert.rejects(stunBinding({ host: '127.0.0.1', port: refusing.port, transport: 'udp' }, { timeoutMs: 1000 }), {
      code: 'REFUSED',
      message: /Binding refused: 400 Bad Request/,
    });
    await assert.rejects(stunBinding({ host: '127.0.0.1', port: silent.port, transport: 'udp' }, { timeoutMs: 150, rtoMs: 20 }), {
      code: 'NO_ANSWER',
      message: /no answer within 150 ms/,
    });
    assert.ok(silent.seen.length >= 3, 'retransmitted while waiting');
  } finally {
    refusing.socket.close();
    silent.socket.close();
  }
});
