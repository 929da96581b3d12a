import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseRecordingFormat, containerOf, recordingFileName } from './recording-format.js';

const only =
  (...types: string[]) =>
  (mimeType: string): boolean =>
    types.includes(mimeType);

test('MP4 is chosen where the browser records it, H.264 with AAC first', () => {
  const format = chooseRecordingFormat(only('video/webm;codecs=vp8,opus', 'video/mp4;codecs=avc1,mp4a.40.2', 'video/mp4'));
  assert.deepEqual(format, { mimeType: 'video/mp4;codecs=avc1,mp4a.40.2', container: 'mp4' });
});

test('WebM with VP9 then VP8 and Opus when there is no MP4', () => {
  assert.deepEqual(chooseRecordingFormat(only('video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus')), {
    mimeType: 'video/webm;codecs=vp9,opus',
    container: 'webm',
  });
  assert.deepEqual(chooseRecordingFormat(only('video/webm;codecs=vp8,opus', 'video/webm')), {
    mimeType: 'video/webm;codecs=vp8,opus',
    container: 'webm',
  });
});

test('a preferred type wins when supported, is skipped when not, and other containers are refused', () => {
  const supported = only('video/mp4', 'video/webm;codecs=vp8,opus', 'video/x-matroska;codecs=avc1');
  assert.equal(chooseRecordingFormat(supported, 'video/webm;codecs=vp8,opus')?.mimeType, 'video/webm;codecs=vp8,opus');
  assert.equal(chooseRecordingFormat(supported, 'video/webm;codecs=av1,opus')?.mimeType, 'video/mp4');
  assert.equal(chooseRecordingFormat(supported, 'video/x-matroska;codecs=avc1')?.mimeType, 'video/mp4');
});

test('nothing supported (or isTypeSupported throwing) gives null', () => {
  assert.equal(
    chooseRecordingFormat(() => false),
    null,
  );
  assert.equal(
    chooseRecordingFormat(() => {
      throw new Error('no');
    }),
    null,
  );
});

test('the container of a MIME type', () => {
  assert.equal(containerOf('VIDEO/MP4; codecs=avc1'), 'mp4');
  assert.equal(containerOf('video/webm'), 'webm');
  assert.equal(containerOf('video/x-matroska'), null);
});

test('file names carry the local start time and the container', () => {
  const at = new Date(2024, 4, 1, 14, 3, 9);
  assert.equal(recordingFileName(at, 'webm'), 'recording-2024-05-01-14-03-09.webm');
  assert.equal(recordingFileName(at, 'mp4', 'call'), 'call-2024-05-01-14-03-09.mp4');
});
