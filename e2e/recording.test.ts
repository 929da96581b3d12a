/**
 * Recording in a real browser: a composite of a two-person call (canvas grid plus WebAudio mix) recorded
 * for 5 s while a tile and its audio drop out midway, handed to Node, and read by ffprobe/ffmpeg: a video
 * and an audio stream, the right duration, audible sound, and a frame decoded after seeking to 3 s.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import type { Page } from 'puppeteer-core';
import type { Room } from '@rendezvous/client';
import type { Recorder } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, leftovers, openPeerPage, waitMediaFlowing } from './harness/peer.js';

const run = promisify(execFile);
const fx = useFixture(['chromium']);
const dir = mkdtempSync(join(tmpdir(), 'rendezvous-recording-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Recorded {
  mimeType: string;
  durationMs: number;
  fileName: string;
  seekable: boolean;
  size: number;
  progress: { elapsedMs: number; bytes: number }[];
  recordingEvents: boolean[];
}

/**
 * Starts a composite recording of the page's call. Once 2.5 s are recorded, every remote peer is dropped
 * from the sources (as when they leave): their tile and audio node go, the recording must carry on.
 */
async function startRecording(page: Page, mimeType: string | null): Promise<string> {
  return page.evaluate((mimeType) => {
    const { Recorder, callSources } = window.Rendezvous;
    const all = callSources(window.t['room'] as Room);
    let alone = false;
    const recorder = new Recorder(() => (alone ? all().filter((source) => source.id.startsWith('local')) : all()), {
      width: 640,
      height: 360,
      frameRate: 15,
      ...(mimeType === null ? {} : { mimeType }),
    });
    const progress: Recorded['progress'] = [];
    const recordingEvents: boolean[] = [];
    recorder.on('progress', (p) => {
      progress.push(p);
      alone ||= p.elapsedMs >= 2500;
    });
    recorder.on('recording', (value) => recordingEvents.push(value));
    recorder.start();
    Object.assign(window.t, { recorder, progress, recordingEvents });
    return recorder.format?.mimeType ?? '';
  }, mimeType);
}

/** Waits until 5 s are recorded, stops, and keeps the file in the page. */
async function stopAfterFiveSeconds(page: Page): Promise<Recorded> {
  await page.waitForFunction(() => (window.t['recorder'] as Recorder).elapsedMs >= 5000, {
    polling: 50,
    timeout: 20_000,
  });
  return page.evaluate(async () => {
    const result = await (window.t['recorder'] as Recorder).stop();
    window.t['file'] = result.blob;
    const { blob, ...rest } = result;
    return {
      ...rest,
      size: blob.size,
      progress: window.t['progress'] as Recorded['progress'],
      recordingEvents: window.t['recordingEvents'] as boolean[],
    };
  });
}

/** Copies the page's recorded file to `path`, 512 KiB at a time as base64. */
async function saveFile(page: Page, size: number, path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  const chunk = 512 * 1024;
  for (let offset = 0; offset < size; offset += chunk) {
    const base64 = await page.evaluate(
      async (offset, chunk) => {
        const bytes = new Uint8Array(await (window.t['file'] as Blob).slice(offset, offset + chunk).arrayBuffer());
        let text = '';
        for (const byte of bytes) {
          text += String.fromCharCode(byte);
        }
        return btoa(text);
      },
      offset,
      chunk,
    );
    parts.push(Buffer.from(base64, 'base64'));
  }
  const file = Buffer.concat(parts);
  writeFileSync(path, file);
  return file;
}

interface Probe {
  streams: { codec_type: string; codec_name: string }[];
  format: { duration?: string; format_name: string };
}

async function probe(path: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', path]);
  return JSON.parse(stdout) as Probe;
}

/** ffmpeg seeks to 3 s and decodes one video frame; resolves with the number of frames it reports. */
async function framesAfterSeek(path: string): Promise<number> {
  const { stderr } = await run('ffmpeg', [
    '-hide_banner',
    '-nostdin',
    '-ss',
    '3',
    '-i',
    path,
    '-frames:v',
    '1',
    '-f',
    'null',
    '-',
  ]);
  const counts = [...stderr.matchAll(/frame=\s*(\d+)/g)].map((match) => Number(match[1]));
  return counts.at(-1) ?? 0;
}

/** Mean audio volume in dB over the whole file (-91 is digital silence). */
async function meanVolume(path: string): Promise<number> {
  const { stderr } = await run('ffmpeg', [
    '-hide_banner',
    '-nostdin',
    '-i',
    path,
    '-vn',
    '-af',
    'volumedetect',
    '-f',
    'null',
    '-',
  ]);
  const match = /mean_volume:\s*(-?[\d.]+) dB/.exec(stderr);
  return match === null ? -Infinity : Number(match[1]);
}

/** The Matroska Cues element's id: present only when the file was rewritten with an index. */
const CUES_ID = Buffer.from([0x1c, 0x53, 0xbb, 0x6b]);

async function checkFile(recorded: Recorded, file: Buffer, path: string): Promise<void> {
  const info = await probe(path);
  const kinds = info.streams.map((stream) => stream.codec_type).sort();
  assert.deepEqual(kinds, ['audio', 'video'], `${recorded.mimeType}: one video and one audio stream`);
  const duration = Number(info.format.duration);
  assert.ok(duration >= 4 && duration <= 6.5, `${recorded.mimeType}: container duration ${info.format.duration} s`);
  assert.ok(recorded.durationMs >= 5000 && recorded.durationMs < 6500, `reported ${recorded.durationMs} ms`);
  assert.equal(await framesAfterSeek(path), 1, `${recorded.mimeType}: a frame decodes after seeking to 3 s`);
  assert.ok((await meanVolume(path)) > -70, `${recorded.mimeType}: the audio mix is not silent`);
  if (recorded.fileName.endsWith('.webm')) {
    assert.ok(file.includes(CUES_ID), 'the WebM file carries cues');
  }
}

test('a 5-second composite recording of a two-person call is a seekable file with video and audio', async () => {
  const chromium = browserOf(fx, 'chromium');
  const alice = await openPeerPage(chromium, fx.pages.url);
  const bob = await openPeerPage(chromium, fx.pages.url);
  await joinRoom(alice, fx.server.wsUrl, 'recording', 'Alice');
  await joinRoom(bob, fx.server.wsUrl, 'recording', 'Bob');
  await Promise.all([waitMediaFlowing(alice, 1), waitMediaFlowing(bob, 1)]);

  // Alice records in the browser's preferred format (MP4 where offered), Bob in WebM, at the same time.
  const formats = await Promise.all([startRecording(alice, null), startRecording(bob, 'video/webm;codecs=vp8,opus')]);
  assert.equal(formats[1], 'video/webm;codecs=vp8,opus');
  const [fromAlice, fromBob] = await Promise.all([stopAfterFiveSeconds(alice), stopAfterFiveSeconds(bob)]);

  for (const [page, recorded] of [
    [alice, fromAlice],
    [bob, fromBob],
  ] as const) {
    assert.ok(recorded.seekable, `${recorded.mimeType}: rewritten to seek`);
    assert.deepEqual(recorded.recordingEvents, [true, false]);
    assert.ok(recorded.progress.length >= 4, 'progress every second');
    const bytes = recorded.progress.map((p) => p.bytes);
    assert.ok(bytes.at(-1)! > 0 && bytes.every((b, i) => i === 0 || b >= bytes[i - 1]!), 'the size counter rises');
    assert.match(recorded.fileName, /^recording-[\d-]+\.(mp4|webm)$/);
    const path = join(dir, recorded.fileName.replace('recording', page === alice ? 'alice' : 'bob'));
    const file = await saveFile(page, recorded.size, path);
    assert.equal(file.length, recorded.size);
    await checkFile(recorded, file, path);
  }

  for (const page of [alice, bob]) {
    await page.evaluate(() => (window.t['room'] as Room).leave());
    assert.deepEqual(await leftovers(page), { openConnections: 0, liveTracks: 0 });
    await page.close();
  }
});

test('turning the camera off and on and switching the microphone while recording your own media does not break it', async () => {
  const page = await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url);
  await joinRoom(page, fx.server.wsUrl, 'recording-switch', 'Alice');
  await page.evaluate(() => {
    const { Recorder, localSources } = window.Rendezvous;
    const media = (window.t['room'] as Room).media!;
    const recorder = new Recorder(localSources(media), { width: 640, height: 360, frameRate: 15 });
    const progress: Recorded['progress'] = [];
    const recordingEvents: boolean[] = [];
    const switched: string[] = [];
    recorder.on('recording', (value) => recordingEvents.push(value));
    // The camera goes off and on again (a new track from the same device); the microphone moves to another
    // device (Chromium's fake devices offer several): both change what the recording reads midway.
    const microphone = async (): Promise<string> => {
      const current = media.settings('audioinput')?.deviceId;
      const inputs = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput');
      return inputs.find((d) => d.deviceId !== current && d.deviceId !== 'default')?.deviceId ?? '';
    };
    recorder.on('progress', (p) => {
      progress.push(p);
      if (progress.length === 1) {
        void media
          .setVideoMuted(true)
          .then(() => media.setVideoMuted(false))
          .then(() => switched.push(media.videoTrack!.id));
      } else if (progress.length === 3) {
        void microphone()
          .then((id) => media.switchDevice('audioinput', id))
          .then(() => switched.push(media.audioTrack!.id));
      }
    });
    recorder.start();
    Object.assign(window.t, {
      recorder,
      progress,
      recordingEvents,
      switched,
      firstTracks: [media.videoTrack!.id, media.audioTrack!.id],
    });
  });
  const recorded = await stopAfterFiveSeconds(page);
  const { switched, firstTracks } = await page.evaluate(() => ({
    switched: window.t['switched'] as string[],
    firstTracks: window.t['firstTracks'] as string[],
  }));
  assert.equal(switched.length, 2, 'both devices were switched while recording');
  assert.ok(!firstTracks.includes(switched[0]!) && !firstTracks.includes(switched[1]!), 'the switches brought new tracks');
  assert.deepEqual(recorded.recordingEvents, [true, false], 'the recorder never stopped on its own');
  const path = join(dir, recorded.fileName.replace('recording', 'switch'));
  const file = await saveFile(page, recorded.size, path);
  await checkFile(recorded, file, path);
  await page.evaluate(() => (window.t['room'] as Room).leave());
  await page.close();
});
