/**
 * The pre-join screen's camera and microphone: opening them (again after a device pick or "Try again"),
 * mute toggles, device switches, and handing them over on Join.
 */
import type { LocalMedia } from '@rendezvous/client';
import { expose } from '../debug.js';
import { describeError } from '../errors-text.js';
import { openLocalMedia, setMuted } from '../media.js';
import { settings } from '../settings.js';
import type { InputKind } from '../ui/device-pickers.js';
import { toast } from '../ui/toasts.js';

export interface PreviewMediaEvents {
  /** Something to show changed (state, mute flags, the stream). `stream`: the preview must re-attach. */
  changed(stream: boolean): void;
  /** A problem to explain (null clears it); `partial` when some of the devices work. */
  problem(error: unknown, partial: boolean): void;
  /** An open attempt finished (with `media` null when nothing opened). */
  settled(error: unknown): void;
}

/** Applies the mute flags a person had set to freshly reopened media. */
async function restoreMuted(media: LocalMedia, muted: { audioMuted: boolean; videoMuted: boolean }): Promise<void> {
  if (muted.audioMuted) {
    await setMuted(media, 'audio', true).catch(() => undefined);
  }
  if (muted.videoMuted) {
    await setMuted(media, 'video', true).catch(() => undefined);
  }
}

export class PreviewMedia {
  media: LocalMedia | null = null;
  opening = false;
  #handedOver = false;
  #closed = false;
  #unsubscribe: (() => void) | null = null;

  constructor(private readonly events: PreviewMediaEvents) {}

  async open(): Promise<void> {
    if (this.opening || this.#closed) {
      return;
    }
    const muted = this.media ? { ...this.media.state } : null;
    this.opening = true;
    this.#release();
    this.events.changed(true);
    const result = await openLocalMedia({ micId: settings.micId, cameraId: settings.cameraId });
    this.opening = false;
    if (this.#closed || this.#handedOver) {
      result.media?.stop();
      return;
    }
    const media = result.media;
    this.media = media;
    if (media && muted) {
      await restoreMuted(media, muted); // reopened: keep what the person had switched off
    }
    this.#unsubscribe = media?.on('state', () => this.events.changed(false)) ?? null;
    expose({ media });
    this.events.problem(result.error, media !== null);
    this.events.changed(true);
    this.events.settled(result.error);
  }

  /** The person picked another device: remember it, switch to it (or open it when nothing is open). */
  async pick(kind: InputKind, deviceId: string): Promise<void> {
    if (kind === 'videoinput') {
      settings.cameraId = deviceId;
    } else {
      settings.micId = deviceId;
    }
    const media = this.media;
    if (!media) {
      return this.open();
    }
    try {
      await media.switchDevice(kind, deviceId);
      // No device of that kind was open (missing before): unmuting opens the chosen one.
      const track = kind === 'videoinput' ? media.videoTrack : media.audioTrack;
      if (!track) {
        await setMuted(media, kind === 'videoinput' ? 'video' : 'audio', false);
      }
      this.events.problem(null, true);
    } catch (error) {
      this.events.problem(error, true);
    }
    this.events.changed(true);
  }

  toggle(kind: 'audio' | 'video'): void {
    const media = this.media;
    if (!media) {
      return;
    }
    const muted = kind === 'audio' ? media.state.audioMuted : media.state.videoMuted;
    setMuted(media, kind, !muted)
      .catch((error: unknown) => toast(describeError(error).title, { kind: 'error' }))
      .finally(() => this.events.changed(kind === 'video'));
  }

  /** From now on the caller owns the media (and must stop it). */
  handOver(): LocalMedia | null {
    this.#handedOver = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    return this.media;
  }

  close(): void {
    this.#closed = true;
    this.#release();
  }

  #release(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (!this.#handedOver) {
      this.media?.stop();
    }
    this.media = null;
    expose({ media: null });
  }
}
