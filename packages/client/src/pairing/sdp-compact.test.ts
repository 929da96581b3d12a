import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compactSdp, expandSdp } from './sdp-compact.js';
import { SAMPLE_OFFER } from './sample-sdp.test-util.js';

test('compactSdp drops only generation, network-id and network-cost, wherever they sit after typ', () => {
  const line =
    'a=candidate:1 1 udp 2 10.0.0.1 5000 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag ab network-id 1 network-cost 10';
  assert.equal(compactSdp(line), 'a=candidate:1 1 udp 2 10.0.0.1 5000 typ srflx raddr 0.0.0.0 rport 0 ufrag ab');
  assert.equal(
    compactSdp('a=candidate:1 1 tcp 2 h.local 9 typ host tcptype active generation 0'),
    'a=candidate:1 1 tcp 2 h.local 9 typ host tcptype active',
  );
  assert.equal(compactSdp('a=candidate:odd line without the keyword'), 'a=candidate:odd line without the keyword');
});

test('expandSdp(compactSdp(x)) is x with CRLF line ends, less the dropped extensions', () => {
  const round = expandSdp(compactSdp(SAMPLE_OFFER));
  assert.equal(round, SAMPLE_OFFER.replaceAll(' generation 0 network-cost 999', ''));
  assert.ok(round.endsWith('\r\n'));
});
