import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '@rendezvous/common';
import { RendezvousError } from '@rendezvous/protocol';
import type { MediaPipeline, PipelineOptions } from './media-pipeline.js';
import type { RecordingProgress } from './progress-meter.js';
import { Recorder, type RecorderOptions, type RecorderState } from './recorder.js';
import type { MediaRecorderLike, RecorderEnvironment } from './recorder-environment.js';
import type { RecordingSource } from './recording-sources.js';

class FakeMediaRecorder implements MediaRecorderLike {
  state: 'inactive' | 'recording' | 'paused' = 'inactive';
  ondataavailable: ((event: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  timeslice: number | undefined;
  constructor(readonly mimeType: string) {}
  start(timeslice?: number): void {
    this.state = 'recording';
    this.timeslice = timeslice;
  }
  /** The browser hands over `size` bytes. */
  data(size: number): void {
    this.ondataavailable?.({ data: new Blob([new Uint8Array(size)]) });
  }
  /** As the browser: inactive at once, then the last data and `stop`, later. */
  stop(): void {
    this.state = 'inactive';
    queueMicrotask(() => {
      this.data(10);
      this.onstop?.();
    });
  }
}

interface Harness {
  clock: FakeClock;
  recorder: Recorder;
  media: () => FakeMediaRecorder;
  renders: RecordingSource[][];
  pipelineOptions: PipelineOptions[];
  closes: () => number;
  seekableInputs: Blob[];
  events: { state: RecorderState[]; recording: boolean[]; progress: RecordingProgress[]; errors: RendezvousError[] };
}

function harness(
  options: RecorderOptions & { supported?: string[] | null; seekableFails?: boolean; sources?: () => RecordingSource[] } = {},
): Harness {
  const clock = new FakeClock(Date.UTC(2024, 0, 2, 3, 4, 5));
  const renders: RecordingSource[][] = [];
  const pipelineOptions: PipelineOptions[] = [];
  const seekableInputs: Blob[] = [];
  let closes = 0;
  let media: FakeMediaRecorder | undefined;
  const supported = options.supported === undefined ? ['video/webm;codecs=vp8,opus'] : options.supported;
  const env: RecorderEnvironment = {
    clock,
    isTypeSupported: supported === null ? null : (type) => supported.includes(type),
    createPipeline(pipeline): MediaPipeline {
      pipelineOptions.push(pipeline);
      return {
        stream: {} as MediaStream,
        render: (sources) => renders.push([...sources]),
        close: () => void closes++,
      };
    },
    createMediaRecorder(_stream, recorderOptions) {
      media = new FakeMediaRecorder(recorderOptions.mimeType ?? '');
      return media;
    },
    makeSeekable(blob) {
      seekableInputs.push(blob);
      return options.seekableFails === true ? Promise.reject(new Error('bad file')) : Promise.resolve(new Blob(['seekable']));
    },
  };
  const sources = options.sources ?? (() => [{ id: 'me', label: 'Me' }]);
  const recorder = new Recorder(sources, options, env);
  const events: Harness['events'] = { state: [], recording: [], progress: [], errors: [] };
  recorder.on('state', (state) => events.state.push(state));
  recorder.on('recording', (recording) => events.recording.push(recording));
  recorder.on('progress', (progress) => events.progress.push(progress));
  recorder.on('error', (error) => events.errors.push(error));
  return {
    clock,
    recorder,
    media: () => media ?? assert.fail('no MediaRecorder was created'),
    renders,
    pipelineOptions,
    closes: () => closes,
    seekableInputs,
    events,
  };
}

test('records: progress every second, then the file made seekable, with its duration and name', async () => {
  const h = harness({ frameRate: 10 });
  h.recorder.start();
  assert.equal(h.recorder.recording, true);
  assert.equal(h.media().timeslice, 1000);
  assert.deepEqual(h.pipelineOptions, [{ width: 1280, height: 720, frameRate: 10, audio: true }]);
  h.clock.advance(1000);
  h.media().data(300);
  h.clock.advance(1000);
  h.media().data(200);
  h.clock.advance(500);
  assert.deepEqual(h.events.progress, [
    { elapsedMs: 1000, bytes: 0 },
    { elapsedMs: 2000, bytes: 300 },
  ]);
  assert.equal(h.recorder.bytes, 500);
  assert.equal(h.recorder.elapsedMs, 2500);

  const result = await h.recorder.stop();
  assert.equal(result.durationMs, 2500);
  assert.equal(result.mimeType, 'video/webm;codecs=vp8,opus');
  assert.match(result.fileName, /^recording-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.webm$/);
  assert.equal(result.seekable, true);
  assert.equal(await result.blob.text(), 'seekable');
  assert.equal(h.seekableInputs[0]?.size, 510, 'every chunk, the last one included, went into the file');
  assert.deepEqual(h.events.state, ['recording', 'stopping', 'stopped']);
  assert.deepEqual(h.events.recording, [true, false]);
  assert.equal(h.closes(), 1);
  assert.equal(h.clock.pending, 0, 'no timer left');
  assert.equal(h.renders.length, 26, 'one frame at start and ten a second for 2.5 s');
});

test('MP4 where offered; a file that cannot be rewritten is returned as recorded', async () => {
  const h = harness({ supported: ['video/webm', 'video/mp4'], seekableFails: true, fileNamePrefix: 'call' });
  h.recorder.start();
  assert.equal(h.recorder.format?.container, 'mp4');
  const result = await h.recorder.stop();
  assert.match(result.fileName, /^call-.*\.mp4$/);
  assert.equal(result.blob.size, 10);
  assert.equal(result.seekable, true, 'a plain MP4 seeks');
  const w = harness({ seekableFails: true });
  w.recorder.start();
  assert.equal((await w.recorder.stop()).seekable, false, 'a raw WebM does not');
});

test('frames keep coming when the sources callback throws once, and follow what it returns', () => {
  let calls = 0;
  const h = harness({
    frameRate: 4,
    sources: () => {
      calls++;
      if (calls === 2) {
        throw new Error('app bug');
      }
      return calls < 4 ? [{ id: 'a', label: 'A' }] : [];
    },
  });
  h.recorder.start();
  h.clock.advance(1000);
  assert.equal(calls, 5);
  assert.deepEqual(
    h.renders.map((sources) => sources.length),
    [1, 1, 0, 0],
  );
});

test('a browser without MediaRecorder, or without MP4 and WebM, cannot start; nothing is created', () => {
  for (const supported of [null, ['video/x-matroska']]) {
    const h = harness({ supported });
    assert.throws(
      () => h.recorder.start(),
      (error: unknown) => error instanceof RendezvousError && error.code === 'RECORDING_UNSUPPORTED',
    );
    assert.equal(h.pipelineOptions.length, 0);
    assert.equal(h.recorder.state, 'idle');
  }
});

test('a recorder error ends the recording, releases everything and is reported', async () => {
  const h = harness();
  h.recorder.start();
  h.media().onerror?.(new Event('error'));
  assert.equal(h.events.errors.length, 1);
  assert.equal(h.recorder.state, 'stopped');
  assert.deepEqual(h.events.recording, [true, false]);
  assert.equal(h.closes(), 1);
  assert.equal(h.clock.pending, 0);
  await assert.rejects(h.recorder.stop(), RendezvousError);
});

test('close drops the recording and releases everything; start twice is refused', async () => {
  const h = harness();
  h.recorder.start();
  assert.throws(() => h.recorder.start(), RendezvousError);
  const stopping = h.recorder.stop();
  h.recorder.close();
  h.recorder.close();
  await assert.rejects(stopping, RendezvousError);
  assert.equal(h.closes(), 1);
  assert.equal(h.clock.pending, 0);
  assert.equal(h.recorder.state, 'stopped');
  await assert.rejects(h.recorder.stop(), RendezvousError);

  const running = harness();
  running.recorder.start();
  running.recorder.close();
  assert.equal(running.media().state, 'inactive', 'the browser recorder is stopped');
  assert.equal(running.closes(), 1);
  assert.deepEqual(running.events.recording, [true, false]);
});
