import assert from 'node:assert/strict';
import { test } from 'node:test';
import { report } from './stats-report.test-util.js';
import { UploadMeter } from './upload-stats.js';

/** One sending connection: video and audio out, and what the receiver reported back. */
function sending(bytes: number, lost: number | null, reason = 'bandwidth'): RTCStatsReport {
  return report([
    {
      id: 'OV',
      type: 'outbound-rtp',
      kind: 'video',
      bytesSent: bytes,
      headerBytesSent: 0,
      packetsSent: 900,
      frameWidth: 1280,
      frameHeight: 720,
      framesPerSecond: 30,
      qualityLimitationReason: reason,
    },
    { id: 'OA', type: 'outbound-rtp', kind: 'audio', bytesSent: 1000, headerBytesSent: 0, packetsSent: 100 },
    ...(lost === null ? [] : [{ id: 'RV', type: 'remote-inbound-rtp', kind: 'video', packetsLost: lost, roundTripTime: 0.04 }]),
  ]);
}

test('upload stats: bitrate from successive samples, loss and round trip as reported, the camera and its limit', () => {
  const meter = new UploadMeter();
  assert.equal(meter.sample([], 0), null, 'nothing sent');
  const first = meter.sample([sending(100_000, null, 'none')], 1000);
  assert.deepEqual(first, {
    bitrateKbps: 0,
    packetLossPercent: null,
    rttMs: null,
    frameWidth: 1280,
    frameHeight: 720,
    framesPerSecond: 30,
    limitedBy: null,
  });
  // Two connections (a mesh of three, or two sources in an SFU room): summed.
  const second = meter.sample([sending(300_000, 10), sending(0, 0)], 2000);
  assert.equal(second?.bitrateKbps, ((300_000 + 1000 + 0 + 1000 - 101_000) * 8) / 1000);
  assert.equal(second?.packetLossPercent, (100 * 10) / (2000 - 1000 + 10), 'lost of what was sent since the last call');
  assert.equal(second?.rttMs, 40);
  assert.equal(second?.limitedBy, 'bandwidth');
  const third = meter.sample([sending(400_000, 10), sending(0, 0)], 3000);
  assert.equal(third?.packetLossPercent, 0, 'no new loss');
  assert.equal(meter.sample([], 3000), null, 'stopped sending');
  assert.equal(meter.sample([sending(5000, 0)], 4000)?.bitrateKbps, 0, 'a new start has no rate yet');
});
