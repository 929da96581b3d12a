/** Microphone level 0..1 from a WebAudio AnalyserNode; used for the local participant's speaking indicator. */

let sharedContext: AudioContext | null = null;
let users = 0;
let removeGestureHook: (() => void) | null = null;

function acquireContext(): AudioContext | null {
  const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  if (Ctor === undefined) {
    return null;
  }
  if (sharedContext === null) {
    sharedContext = new Ctor();
    if (sharedContext.state === 'suspended') {
      hookGesture(sharedContext);
    }
  }
  users += 1;
  return sharedContext;
}

/** Autoplay policy: a context created before any user gesture starts suspended; resume on the first one. */
function hookGesture(context: AudioContext): void {
  if (typeof addEventListener !== 'function') {
    return;
  }
  const resume = (): void => {
    void context.resume().catch(() => undefined);
    remove();
  };
  const events = ['pointerdown', 'keydown', 'touchstart'];
  const remove = (): void => {
    for (const type of events) {
      removeEventListener(type, resume, true);
    }
    removeGestureHook = null;
  };
  for (const type of events) {
    addEventListener(type, resume, true);
  }
  removeGestureHook = remove;
  void context.resume().catch(() => undefined);
}

function releaseContext(): void {
  users -= 1;
  if (users > 0 || sharedContext === null) {
    return;
  }
  const context = sharedContext;
  sharedContext = null;
  removeGestureHook?.();
  void context.close().catch(() => undefined);
}

/** Converts RMS amplitude to 0..1 on a -60..0 dBFS scale. */
export function rmsToLevel(rms: number): number {
  if (!(rms > 0)) {
    return 0;
  }
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

export class AudioLevelMeter {
  readonly track: MediaStreamTrack;
  #context: AudioContext | null;
  #source: MediaStreamAudioSourceNode | null = null;
  #analyser: AnalyserNode | null = null;
  #buffer: Float32Array<ArrayBuffer> | null = null;

  constructor(track: MediaStreamTrack) {
    this.track = track;
    this.#context = acquireContext();
    if (this.#context === null) {
      return;
    }
    try {
      this.#source = this.#context.createMediaStreamSource(new MediaStream([track]));
      this.#analyser = this.#context.createAnalyser();
      this.#analyser.fftSize = 1024;
      this.#source.connect(this.#analyser);
      this.#buffer = new Float32Array(this.#analyser.fftSize);
    } catch {
      this.close();
    }
  }

  /** Current level 0..1 (0 when the track is not live or audio cannot be analysed). */
  level(): number {
    const analyser = this.#analyser;
    const buffer = this.#buffer;
    if (analyser === null || buffer === null || this.track.readyState !== 'live') {
      return 0;
    }
    analyser.getFloatTimeDomainData(buffer);
    let sum = 0;
    for (const sample of buffer) {
      sum += sample * sample;
    }
    return rmsToLevel(Math.sqrt(sum / buffer.length));
  }

  close(): void {
    if (this.#context === null) {
      return;
    }
    try {
      this.#source?.disconnect();
      this.#analyser?.disconnect();
    } catch {
      // already disconnected
    }
    this.#source = null;
    this.#analyser = null;
    this.#buffer = null;
    this.#context = null;
    releaseContext();
  }
}

/** Level 0..1 of what a receiver gets, from its synchronization sources' audio levels (the last second). */
export function receiverAudioLevel(receiver: RTCRtpReceiver): number {
  try {
    let level = 0;
    for (const source of receiver.getSynchronizationSources()) {
      if (typeof source.audioLevel === 'number' && isRecent(source.timestamp)) {
        level = Math.max(level, source.audioLevel);
      }
    }
    return rmsToLevel(level);
  } catch {
    return 0;
  }
}

/** Whether an RTP source timestamp is within the last second (browsers differ on the clock they use). */
function isRecent(timestamp: number): boolean {
  const now = performance.now();
  const ages = [now - timestamp, Date.now() - timestamp, performance.timeOrigin + now - timestamp];
  return ages.some((age) => Math.abs(age) < 1000);
}
