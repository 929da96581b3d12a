/**
 * A live microphone level meter (Web Audio AnalyserNode on the local track). It follows the
 * track the getter returns, so switching microphones keeps it working.
 */
import { Disposer, h } from './dom.js';
import { t } from '../i18n/index.js';

export interface LevelMeter {
  el: HTMLElement;
  /** Last measured level, 0..1. */
  readonly level: number;
  destroy(): void;
}

const INTERVAL_MS = 50;

/** The loudness of a block of samples, 0..1: -60 dBFS (or quieter) to -10 dBFS (or louder) as a straight line. */
function loudness(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) {
    sum += sample * sample;
  }
  const rms = Math.sqrt(sum / samples.length);
  const db = 20 * Math.log10(rms || 1e-8);
  return Math.min(1, Math.max(0, (db + 60) / 50));
}

export function createLevelMeter(
  getTrack: () => MediaStreamTrack | null,
  options: { testid?: string; label?: string } = {},
): LevelMeter {
  const fill = h('div', { class: 'meter-fill' });
  const el = h(
    'div',
    {
      class: 'meter',
      role: 'meter',
      'aria-label': options.label ?? t('media.micLevel'),
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': 0,
      testid: options.testid,
    },
    fill,
  );
  const disposer = new Disposer();
  let context: AudioContext | null = null;
  let analyser: AnalyserNode | null = null;
  let source: MediaStreamAudioSourceNode | null = null;
  let current: MediaStreamTrack | null = null;
  let level = 0;
  const samples = new Float32Array(1024);

  function connect(track: MediaStreamTrack | null): void {
    source?.disconnect();
    source = null;
    current = track;
    if (!track || track.readyState === 'ended') {
      return;
    }
    try {
      context ??= new AudioContext();
      if (!analyser) {
        analyser = context.createAnalyser();
        analyser.fftSize = samples.length;
      }
      source = context.createMediaStreamSource(new MediaStream([track]));
      source.connect(analyser);
      if (context.state === 'suspended') {
        void context.resume().catch(() => undefined);
      }
    } catch (error) {
      console.warn('level meter unavailable', error);
    }
  }

  function tick(): void {
    const track = getTrack();
    if (track !== current || (track?.readyState === 'ended' && source)) {
      connect(track);
    }
    let target = 0;
    if (analyser && source && current?.enabled !== false) {
      analyser.getFloatTimeDomainData(samples);
      target = loudness(samples);
    }
    // Fast attack, slow release, so speech reads as a steady bar.
    level = target > level ? target : level * 0.85 + target * 0.15;
    fill.style.transform = `scaleX(${level.toFixed(3)})`;
    el.setAttribute('aria-valuenow', String(Math.round(level * 100)));
    el.dataset['level'] = level.toFixed(3);
    el.classList.toggle('meter-active', level > 0.05);
  }

  const timer = window.setInterval(tick, INTERVAL_MS);
  disposer.add(() => window.clearInterval(timer));
  // Browsers start an AudioContext suspended until the page has had a user gesture.
  const resume = (): void => void context?.resume().catch(() => undefined);
  disposer.listen(document, 'pointerdown', resume);
  disposer.listen(document, 'keydown', resume);
  disposer.add(() => {
    source?.disconnect();
    void context?.close().catch(() => undefined);
  });

  return {
    el,
    get level() {
      return level;
    },
    destroy: () => disposer.dispose(),
  };
}
