import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { resetLanguageForTests } from '../i18n/index.js';
import { exportFileName } from './stats-export.js';
import { candidateLabel, codecLabel, formatBitrate, formatLoss, formatVideo, NO_VALUE, protocolLabel } from './stats-format.js';

afterEach(() => resetLanguageForTests('en'));

test('bitrates read as kbit/s below 1 Mbit/s and Mbit/s above, in both languages; unknown is a dash', () => {
  assert.equal(formatBitrate(374_400), '374 kbit/s');
  assert.equal(formatBitrate(2_345_000), '2.35 Mbit/s');
  assert.equal(formatBitrate(null), NO_VALUE);
  resetLanguageForTests('zh-CN');
  assert.equal(formatBitrate(374_400), '374 千比特/秒');
});

test('video size has no digit grouping; loss shows percent and count; codecs and candidates read as people write them', () => {
  assert.equal(formatVideo({ width: 1280, height: 720, framesPerSecond: 29.6 }), '1280×720 at 30 fps');
  assert.equal(formatLoss(2.5, 3), '2.5% (3 lost)');
  assert.equal(formatLoss(null, null), NO_VALUE);
  assert.equal(codecLabel('H264'), 'H.264');
  assert.equal(codecLabel('VP9'), 'VP9');
  assert.equal(candidateLabel('relay'), 'Relay server (relay)');
  assert.equal(protocolLabel('tls'), 'TLS');
  resetLanguageForTests('zh-CN');
  assert.equal(candidateLabel('host'), '本地网络（host）');
  assert.equal(formatVideo({ width: 640, height: 360, framesPerSecond: 15 }), '640×360，15 帧/秒');
});

test('the export file is named after the room (safe characters only) and the local time', () => {
  const at = new Date(2025, 0, 2, 3, 4, 5);
  assert.equal(exportFileName('standup', at), 'rendezvous-stats-standup-20250102-030405.json');
  assert.equal(exportFileName('../a b/周会', at), 'rendezvous-stats-a-b-周会-20250102-030405.json');
  assert.equal(exportFileName('///', at), 'rendezvous-stats-call-20250102-030405.json');
});
