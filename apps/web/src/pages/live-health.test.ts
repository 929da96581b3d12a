import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resetLanguageForTests } from '../i18n/index.js';
import { healthDetails, healthLevel, type UploadStats } from './live-health.js';

const clean: UploadStats = {
  bitrateKbps: 2450.4,
  packetLossPercent: 0.2,
  rttMs: 38,
  frameWidth: 1280,
  frameHeight: 720,
  framesPerSecond: 29.7,
  limitedBy: null,
};

test('upload health: nothing sent yet, then good, fair and poor by loss, round trip and encoder limits', () => {
  assert.equal(healthLevel(null), 'none');
  assert.equal(healthLevel(clean), 'good');
  assert.equal(healthLevel({ ...clean, packetLossPercent: null, rttMs: null }), 'good');
  assert.equal(healthLevel({ ...clean, packetLossPercent: 1 }), 'fair');
  assert.equal(healthLevel({ ...clean, rttMs: 250 }), 'fair');
  assert.equal(healthLevel({ ...clean, limitedBy: 'cpu' }), 'fair');
  assert.equal(healthLevel({ ...clean, packetLossPercent: 6 }), 'poor');
  assert.equal(healthLevel({ ...clean, rttMs: 400, limitedBy: 'bandwidth' }), 'poor');
});

test('upload health details: the numbers in English and Chinese, leaving out what is unknown', () => {
  resetLanguageForTests('en');
  assert.deepEqual(healthDetails(clean), ['2,450 kbps', '0.2% loss', '38 ms round trip', '1280×720', '30 fps']);
  assert.deepEqual(healthDetails({ ...clean, packetLossPercent: null, rttMs: null, frameWidth: null, framesPerSecond: null }), [
    '2,450 kbps',
  ]);
  resetLanguageForTests('zh-CN');
  assert.deepEqual(healthDetails({ ...clean, limitedBy: 'bandwidth' }), [
    '码率 2,450 kbps',
    '丢包 0.2%',
    '往返 38毫秒',
    '1280×720',
    '30 帧/秒',
    '受带宽限制',
  ]);
  resetLanguageForTests('en');
});
