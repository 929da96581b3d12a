import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callReport, report } from './stats-report.test-util.js';
import { sampleBetween } from './stats-sample.js';
import { snapshotOf } from './stats-snapshot.js';

const base = {
  timestamp: 1000,
  bytesIn: 4000,
  bytesOut: 1000,
  packetsIn: 100,
  packetsLost: 0,
  pairBytesIn: 5000,
  rttSeconds: 0.04,
  jitterSeconds: 0.01,
};

test('a snapshot sums the streams and names codecs, sizes, RTT, jitter and the pair', () => {
  const s = snapshotOf([callReport({ ...base, videoCodec: 'VP9' })]);
  assert.equal(s.bytesIn, 4000);
  assert.equal(s.bytesOut, 1000);
  assert.equal(s.packetsIn, 100);
  assert.equal(s.transportBytesIn, 5000);
  assert.equal(s.rttMs, 40);
  assert.equal(s.jitterMs, 10); // the audio stream's, not the video's 20 ms
  assert.deepEqual(s.videoIn, { framesPerSecond: 15, width: 320, height: 240 });
  assert.deepEqual(s.videoOut, { framesPerSecond: 30, width: 640, height: 480 });
  assert.deepEqual(s.codecs, { audioIn: 'opus', videoIn: 'VP9', audioOut: null, videoOut: 'VP9' });
  assert.deepEqual(s.pair, { localType: 'host', remoteType: 'host', protocol: 'udp', relayProtocol: null, path: 'host' });
});

test('a relay pair over TCP to TURN reads relay, with the relay protocol', () => {
  const s = snapshotOf([callReport({ ...base, localType: 'relay', relayProtocol: 'tls', remoteType: 'srflx' })]);
  assert.deepEqual(s.pair, { localType: 'relay', remoteType: 'srflx', protocol: 'udp', relayProtocol: 'tls', path: 'relay' });
});

test('without a pair RTT, the RTCP round trip of what we send is used (Firefox)', () => {
  const s = snapshotOf([
    report([
      { id: 'RI1', type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.1 },
      { id: 'RI2', type: 'remote-inbound-rtp', kind: 'video', roundTripTime: 0.2 },
      { id: 'P', type: 'candidate-pair', selected: true, localCandidateId: 'x', remoteCandidateId: 'y' },
    ]),
  ]);
  assert.ok(s.rttMs !== null && Math.abs(s.rttMs - 150) < 1e-9);
  assert.equal(s.pair?.path, 'unknown');
  assert.equal(s.jitterMs, null);
  assert.equal(s.videoIn, null);
});

test('two connections (ids clash across reports) are summed, not overwritten', () => {
  const s = snapshotOf([callReport(base), callReport({ ...base, bytesIn: 8000 })]);
  assert.equal(s.bytesIn, 12_000);
  assert.equal(s.transportBytesIn, 10_000);
});

test('the sample of an interval: bits/s from byte deltas over the reports own clock, loss as a delta', () => {
  const a = { at: 0, snapshot: snapshotOf([callReport(base)]) };
  const b = {
    at: 1100, // the sampler's clock drifts: the reports' timestamps rule
    snapshot: snapshotOf([
      callReport({ ...base, timestamp: 3000, bytesIn: 104_000, bytesOut: 51_000, packetsIn: 290, packetsLost: 10 }),
    ]),
  };
  const sample = sampleBetween(a, b, 'connected');
  assert.equal(sample.bitrateIn, 400_000); // 100 000 bytes in 2 s
  assert.equal(sample.bitrateOut, 200_000);
  assert.equal(sample.packetsReceived, 190);
  assert.equal(sample.packetsLost, 10);
  assert.equal(sample.lossPercent, 5);
  assert.equal(sample.codecs.videoIn, 'VP8');
});

test('the first sample, and the first of a rebuilt connection (counters went down), have no rates', () => {
  const a = { at: 0, snapshot: snapshotOf([callReport({ ...base, bytesIn: 90_000 })]) };
  const b = { at: 1000, snapshot: snapshotOf([callReport({ ...base, timestamp: 2000 })]) };
  assert.equal(sampleBetween(null, a, 'connected').bitrateIn, null);
  const rebuilt = sampleBetween(a, b, 'connected');
  assert.equal(rebuilt.bitrateIn, null);
  assert.equal(rebuilt.packetsLost, null);
  assert.equal(rebuilt.rttMs, 40);
});
