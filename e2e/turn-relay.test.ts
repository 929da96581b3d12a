import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Room } from '@rendezvous/client';
import type { IceServer } from '@rendezvous/protocol';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, openPeerPage, waitMediaFlowing } from './harness/peer.js';

// TURN on free ports, TLS with a certificate from this run's own CA (which the browsers trust), and
// loopback peers allowed: on this machine every relayed address is 127.0.0.1, which the default policy
// (rightly) refuses.
const fx = useFixture(
  ['chromium', 'firefox'],
  { turn: true, turnHost: '127.0.0.1', turnPort: 0, turnTlsPort: 0, turnAllowPeers: ['127.0.0.0/8'] },
  { tls: true },
);

type Transport = 'udp' | 'tcp' | 'tls';

/** The TURN entry the server hands out, narrowed to one transport. */
function turnServerFor(transport: Transport): RTCIceServer {
  // What /api/ice-servers and the welcome hand out (asked in-process: the HTTPS origin uses the test CA).
  const iceServers: IceServer[] = fx.server.turn?.iceServers(undefined, 'e2e') ?? [];
  const turn = iceServers.find((s) => s.username !== undefined);
  assert.ok(turn !== undefined, 'the server hands out TURN credentials');
  const urls = (Array.isArray(turn.urls) ? turn.urls : [turn.urls]).filter((url) =>
    transport === 'tls' ? url.startsWith('turns:') : url.startsWith('turn:') && url.endsWith(`transport=${transport}`),
  );
  assert.equal(urls.length, 1, `one ${transport} URL`);
  // A TLS server is named by the host its certificate is for: Firefox does not accept an IP address there.
  const named = transport === 'tls' ? urls.map((url) => url.replace('127.0.0.1', 'localhost')) : urls;
  return { urls: named, username: turn.username!, credential: turn.credential! };
}

const pairs = [
  ['chromium', 'chromium'],
  ['chromium', 'firefox'],
] as const;

for (const transport of ['udp', 'tcp', 'tls'] as const) {
  for (const [first, second] of pairs) {
    test(`relay-only call through our TURN over ${transport.toUpperCase()}: ${first} ↔ ${second}`, async () => {
      const server = turnServerFor(transport);
      const rtcConfig: RTCConfiguration = { iceTransportPolicy: 'relay', iceServers: [server] };
      const a = await openPeerPage(browserOf(fx, first), fx.pages.url);
      const b = await openPeerPage(browserOf(fx, second), fx.pages.url);
      const room = `relay-${transport}-${first}-${second}`;
      await joinRoom(a, fx.server.wsUrl, room, 'A', { rtcConfig, useServerIceServers: false });
      await joinRoom(b, fx.server.wsUrl, room, 'B', { rtcConfig, useServerIceServers: false });
      await Promise.all([waitMediaFlowing(a, 1, { timeout: 45_000 }), waitMediaFlowing(b, 1, { timeout: 45_000 })]);

      for (const page of [a, b]) {
        const pair = await page.evaluate(() => {
          const peer = [...(window.t['room'] as Room).peers.values()][0];
          return peer === undefined ? null : window.probe.selectedPair(peer);
        });
        assert.ok(pair !== null, 'a candidate pair is selected');
        assert.equal(pair.localType, 'relay');
        // Chromium names how it reached the TURN server; Firefox does not always, so check it where given.
        if (pair.relayProtocol !== null) {
          assert.equal(pair.relayProtocol, transport);
        }
        // What the call view's path badge shows.
        await page.waitForFunction(() => [...(window.t['room'] as Room).peers.values()][0]?.path === 'relay', {
          polling: 250,
          timeout: 10_000,
        });
      }
      for (const page of [a, b]) {
        await page.evaluate(() => (window.t['room'] as Room).leave());
      }
      for (const page of [a, b]) {
        await page.close();
      }
    });
  }
}
