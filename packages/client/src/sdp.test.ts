import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprints, primaryMids } from './sdp.js';

const sdp = [
  'v=0',
  'a=fingerprint:sha-256 AA:BB',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:5',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=fingerprint:sha-256 CC:DD',
  '',
].join('\r\n');

test('primary mids are the first audio and first video sections', () => {
  assert.deepEqual(primaryMids(sdp), { audio: '0', video: '5' });
  assert.deepEqual(primaryMids('v=0\r\n'), { audio: null, video: null });
});

test('fingerprints are collected and lower-cased', () => {
  assert.deepEqual(fingerprints(sdp), ['sha-256 aa:bb', 'sha-256 cc:dd']);
});
