/**
 * Pre-join: camera preview, device pickers, display name, a live microphone meter and mute toggles,
 * then "Join". getUserMedia problems are explained by code; joining without devices is allowed.
 *
 * Join pressed while the camera is still starting shows "Joining…" and joins as soon as it is ready. If
 * what opens is partial (only the microphone, say), it joins with that. If nothing opens, it stays here
 * with the problem explained: joining with no camera and no microphone is a choice the person makes by
 * pressing Join again, knowing it.
 */
import type { LocalMedia } from '@rendezvous/client';
import { displayNameProblem } from '../display-name.js';
import { describeError } from '../errors-text.js';
import { randomGuestName } from '../room-names.js';
import { settings } from '../settings.js';
import { createDevicePickers, type DevicePickers } from '../ui/device-pickers.js';
import { Disposer } from '../ui/dom.js';
import { createLevelMeter, type LevelMeter } from '../ui/level-meter.js';
import { toast } from '../ui/toasts.js';
import { PreviewMedia } from './prejoin-media.js';
import { showDeviceProblem } from './prejoin-problem.js';
import { createPrejoinView, type PrejoinView } from './prejoin-view.js';

export interface PrejoinOptions {
  roomName: string;
  /** Called once; from then on the caller owns `media` (and must stop it). */
  onJoin(media: LocalMedia | null, displayName: string): void;
}

/** Shows why the typed name cannot be used (or clears it); true when there is a problem. An empty field is fine. */
function checkName(view: PrejoinView): boolean {
  const text = view.nameInput.value.trim() ? displayNameProblem(view.nameInput.value) : null;
  view.nameError.textContent = text ?? '';
  view.nameInput.setAttribute('aria-invalid', String(text !== null));
  return text !== null;
}

/** Once a problem is shown, it goes away as soon as the name is fixed; the avatar follows the name. */
function watchName(view: PrejoinView, render: () => void): void {
  view.nameInput.addEventListener('input', () => {
    if (view.nameInput.getAttribute('aria-invalid') === 'true') {
      checkName(view);
    }
    render();
  });
}

/** Puts the media's stream (or nothing) in the preview <video>. */
function showPreview(video: HTMLVideoElement, media: LocalMedia | null): void {
  video.srcObject = null;
  video.srcObject = media?.stream ?? null;
  if (media) {
    void video.play().catch(() => undefined);
  }
}

/** The microphone meter and the device pickers, both following the preview's media. */
function deviceParts(preview: PreviewMedia): { meter: LevelMeter; pickers: DevicePickers } {
  const meter = createLevelMeter(() => preview.media?.audioTrack ?? null, { testid: 'prejoin-level' });
  const pickers = createDevicePickers({
    idPrefix: 'prejoin',
    testids: { camera: 'prejoin-camera-select', mic: 'prejoin-mic-select' },
    getMedia: () => preview.media,
    onPick: (kind, deviceId) => preview.pick(kind, deviceId),
  });
  return { meter, pickers };
}

export function mountPrejoin(root: HTMLElement, options: PrejoinOptions): () => void {
  const disposer = new Disposer();
  /** Join was pressed while the camera was starting; `handedOver` once joined. */
  let joining = false;
  let handedOver = false;
  const preview = new PreviewMedia({
    changed: (stream) => (stream ? attachPreview() : render()),
    problem: (error, partial) =>
      showDeviceProblem(view.problem, error, {
        partial,
        hasVideo: !!preview.media?.videoTrack,
        onRetry: () => void preview.open(),
      }),
    settled: (error) => settleJoin(error),
  });
  const { meter, pickers } = deviceParts(preview);
  const view = createPrejoinView({
    roomName: options.roomName,
    pickers: pickers.el,
    meter: meter.el,
    onToggle: (kind) => preview.toggle(kind),
    onSubmit: () => join(),
  });
  view.nameInput.value = settings.displayName;
  root.append(view.el);

  const render = (): void => view.render({ media: preview.media, opening: preview.opening, joining });

  const attachPreview = (): void => {
    showPreview(view.video, preview.media);
    render();
  };

  /** An open attempt has settled: device labels appear now; a pending Join joins with what opened, or stays and explains. */
  function settleJoin(error: unknown): void {
    void pickers.refresh();
    if (!joining) {
      return;
    }
    if (preview.media) {
      return handOver();
    }
    joining = false;
    render();
    toast(describeError(error).title, { kind: 'error' });
    view.problem.querySelector('button')?.focus();
  }

  function join(): void {
    if (handedOver || joining) {
      return;
    }
    if (checkName(view)) {
      view.nameInput.focus();
      return;
    }
    const typed = view.nameInput.value.trim();
    if (typed) {
      settings.displayName = typed;
    }
    if (preview.opening) {
      joining = true; // the open in progress finishes the join (settleJoin)
      render();
      return;
    }
    handOver();
  }

  function handOver(): void {
    joining = false;
    handedOver = true;
    view.video.srcObject = null;
    options.onJoin(preview.handOver(), view.nameInput.value.trim() || randomGuestName());
  }

  watchName(view, render);
  disposer.add(() => {
    meter.destroy();
    pickers.destroy();
    view.video.srcObject = null;
    preview.close();
  });
  render();
  void preview.open();
  // Focus the name field when it is empty, otherwise the Join button.
  queueMicrotask(() => (view.nameInput.value ? view.joinButton : view.nameInput).focus({ preventScroll: true }));
  return () => disposer.dispose();
}
