import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkNetwork, classifyIceUrl, parseCandidate, planNetworkProbes, type ProbeResult } from './network-check.js';

const TURN = {
  urls: ['turn:example.org:3478?transport=udp', 'turn:example.org:3478?transport=tcp'],
  username: '1900000000:peer',
  credential: 'c3VwZXItc2VjcmV0',
};
const SERVERS: RTCIceServer[] = [{ urls: 'stun:example.org:3478' }, TURN];

test('ICE urls map to probes by scheme and transport', () => {
  assert.equal(classifyIceUrl('stun:h:3478'), 'srflx');
  assert.equal(classifyIceUrl('STUNS:h'), 'srflx');
  assert.equal(classifyIceUrl('turn:h:3478'), 'relay-udp');
  assert.equal(classifyIceUrl('turn:h:3478?transport=udp'), 'relay-udp');
  assert.equal(classifyIceUrl('turn:[::1]:3478?transport=TCP'), 'relay-tcp');
  assert.equal(classifyIceUrl('turns:h:5349?transport=tcp'), 'relay-tls');
  assert.equal(classifyIceUrl('http://h'), null);
});

test('each probe gets only its urls; relay probes keep the credential and are relay-only', () => {
  const plans = planNetworkProbes(SERVERS);
  assert.deepEqual(
    plans.map((p) => p.probe),
    ['host', 'srflx', 'relay-udp', 'relay-tcp', 'relay-tls'],
  );
  const [host, srflx, udp, tcp, tls] = plans;
  assert.deepEqual(host?.config, { iceServers: [] });
  assert.deepEqual(srflx?.config, { iceServers: [{ urls: ['stun:example.org:3478'] }] });
  assert.deepEqual(udp?.config, {
    iceServers: [{ urls: ['turn:example.org:3478?transport=udp'], username: TURN.username, credential: TURN.credential }],
    iceTransportPolicy: 'relay',
  });
  assert.deepEqual(tcp?.urls, ['turn:example.org:3478?transport=tcp']);
  assert.equal(tls?.config, undefined);
  assert.deepEqual(
    planNetworkProbes([])
      .filter((p) => p.config !== undefined)
      .map((p) => p.probe),
    ['host'],
  );
});

test('candidate lines from Chromium and Firefox parse; junk does not', () => {
  assert.deepEqual(
    parseCandidate('candidate:842163049 1 udp 1677729535 203.0.113.7 54321 typ srflx raddr 10.0.0.2 rport 54321 generation 0'),
    {
      type: 'srflx',
      address: '203.0.113.7',
      port: 54321,
      protocol: 'udp',
    },
  );
  assert.deepEqual(parseCandidate('candidate:1 1 UDP 2122252543 4f1c9a0e-1d2b-4c3d-9e8f-0a1b2c3d4e5f.local 50000 typ host'), {
    type: 'host',
    address: '4f1c9a0e-1d2b-4c3d-9e8f-0a1b2c3d4e5f.local',
    port: 50000,
    protocol: 'udp',
  });
  assert.deepEqual(parseCandidate('a=candidate:2 1 udp 16777215 198.51.100.1 49152 typ relay raddr 0.0.0.0 rport 0', 'tcp'), {
    type: 'relay',
    address: '198.51.100.1',
    port: 49152,
    protocol: 'udp',
    relayProtocol: 'tcp',
  });
  assert.equal(parseCandidate(''), null);
  assert.equal(parseCandidate('candidate:1 1 sctp 1 1.2.3.4 1 typ host'), null);
  assert.equal(parseCandidate('candidate:1 1 udp 1 1.2.3.4 x typ host'), null);
});

/** How the fake browser answers for a url: candidate lines, whether gathering completes, whether a pair connects. */
interface Behaviour {
  lines: string[];
  complete: boolean;
  connects?: boolean;
  error?: { errorCode: number; errorText: string };
}

const all: FakePC[] = [];

class FakeChannel extends EventTarget {}

class FakePC extends EventTarget {
  iceGatheringState: RTCIceGatheringState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  closed = false;
  readonly added: unknown[] = [];
  private channel: FakeChannel | undefined;
  private readonly behaviour: Behaviour;
  private readonly timers: ReturnType<typeof setTimeout>[] = [];

  constructor(config: RTCConfiguration) {
    super();
    all.push(this);
    const url = (config.iceServers ?? []).flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]))[0] ?? 'none';
    this.behaviour = BEHAVIOUR[url] ?? { lines: [], complete: true };
  }

  createDataChannel(): FakeChannel {
    this.channel = new FakeChannel();
    return this.channel;
  }
  createOffer(): Promise<RTCSessionDescriptionInit> {
    return Promise.resolve({ type: 'offer', sdp: 'v=0' });
  }
  createAnswer(): Promise<RTCSessionDescriptionInit> {
    return Promise.resolve({ type: 'answer', sdp: 'v=0' });
  }
  setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.localDescription = description;
    this.later(() => {
      this.iceGatheringState = 'gathering';
      const { error } = this.behaviour;
      if (error) {
        this.dispatchEvent(Object.assign(new Event('icecandidateerror'), { ...error, url: 'turn:x' }));
      }
      for (const candidate of this.behaviour.lines) {
        this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: { candidate } }));
      }
      if (!this.behaviour.complete) {
        return;
      }
      this.iceGatheringState = 'complete';
      this.dispatchEvent(new Event('icegatheringstatechange'));
      this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: null }));
    });
    return Promise.resolve();
  }
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescription = description;
    if (this.channel && this.behaviour.connects) {
      this.later(() => this.channel?.dispatchEvent(new Event('open')), 5);
    }
    return Promise.resolve();
  }
  addIceCandidate(candidate: unknown): Promise<void> {
    // An executor turns the failed assertion into a rejection, as an async method would.
    return new Promise((resolve) => {
      assert.ok(this.remoteDescription, 'a candidate arrived before the remote description');
      this.added.push(candidate);
      resolve();
    });
  }
  close(): void {
    this.closed = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
  }
  private later(fn: () => void, ms = 1): void {
    this.timers.push(setTimeout(() => !this.closed && fn(), ms));
  }
}

const relayLine = (ip: string) => `candidate:9 1 udp 41885439 ${ip} 50000 typ relay raddr 0.0.0.0 rport 0`;
const BEHAVIOUR: Record<string, Behaviour> = {
  none: { lines: ['candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host'], complete: true },
  'stun:example.org:3478': { lines: [], complete: false },
  'turn:example.org:3478?transport=udp': { lines: [relayLine('198.51.100.1')], complete: true, connects: true },
  'turn:example.org:3478?transport=tcp': { lines: [relayLine('198.51.100.2')], complete: true, connects: false },
  'turns:example.org:5349?transport=tcp': {
    lines: [],
    complete: true,
    error: { errorCode: 701, errorText: 'TURN host lookup received error.' },
  },
};

const PC = FakePC as unknown as typeof RTCPeerConnection;

test('checkNetwork: statuses, relay test connections, timeouts, ICE errors, and every connection closed', async () => {
  all.length = 0;
  const progress: ProbeResult[] = [];
  const servers = [...SERVERS, { ...TURN, urls: 'turns:example.org:5349?transport=tcp' }];
  const result = await checkNetwork(servers, { RTCPeerConnection: PC, timeoutMs: 60, onProgress: (r) => progress.push(r) });
  const by = Object.fromEntries(result.probes.map((p) => [p.probe, p]));

  assert.equal(by['host']?.status, 'ok');
  assert.deepEqual(by['host']?.candidates, [{ type: 'host', address: '10.0.0.2', port: 50000, protocol: 'udp' }]);
  assert.equal(by['host']?.connected, undefined);

  assert.equal(by['srflx']?.status, 'failed');
  assert.match(by['srflx']?.error ?? '', /no answer from the STUN server within 0.1 s/);
  assert.equal(by['srflx']?.code, 'NO_ANSWER');
  assert.equal(by['host']?.code, undefined);
  assert.ok((by['srflx']?.ms ?? 0) >= 55);

  assert.equal(by['relay-udp']?.status, 'ok');
  assert.equal(by['relay-udp']?.connected, true);
  assert.equal(by['relay-udp']?.candidates[0]?.relayProtocol, 'udp');
  assert.equal(typeof by['relay-udp']?.connectMs, 'number');

  assert.equal(by['relay-tcp']?.status, 'ok');
  assert.equal(by['relay-tcp']?.connected, false);
  assert.equal(by['relay-tcp']?.code, 'RELAY_NOT_CONNECTED');
  assert.equal(by['relay-tcp']?.candidates[0]?.relayProtocol, 'tcp');

  assert.equal(by['relay-tls']?.status, 'failed');
  assert.match(by['relay-tls']?.error ?? '', /^turn:x: TURN host lookup received error \(701\)$/);
  assert.equal(by['relay-tls']?.code, 'CONNECT_FAILED');

  assert.equal(progress.length, 5);
  // host + srflx + two per relay probe
  assert.equal(all.length, 2 + 2 * 3);
  assert.ok(all.every((pc) => pc.closed));
  // The relay pair traded candidates only after their remote descriptions were set.
  assert.ok(all.some((pc) => pc.added.length > 0));
});

test('checkNetwork: nothing offered skips; abort closes everything and rejects', async () => {
  all.length = 0;
  const skipped = await checkNetwork([], { RTCPeerConnection: PC, timeoutMs: 50 });
  assert.deepEqual(
    skipped.probes.map((p) => p.status),
    ['ok', 'skipped', 'skipped', 'skipped', 'skipped'],
  );

  all.length = 0;
  const controller = new AbortController();
  const running = checkNetwork(SERVERS, { RTCPeerConnection: PC, timeoutMs: 10_000, signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(running, { name: 'AbortError' });
  assert.ok(all.length > 0 && all.every((pc) => pc.closed));

  await assert.rejects(checkNetwork(SERVERS, {}), { code: 'UNSUPPORTED_BROWSER' });
});
