/** A tile's <video>: attaching streams, following their tracks, and autoplay with sound (or a "Play sound" button). */
import { Disposer } from './dom.js';

export interface TileVideo {
  /** `force` re-attaches the same stream (a local stream whose tracks were swapped). */
  setStream(stream: MediaStream | null, force: boolean): void;
  /** Plays; `withSound` after a click (unmutes a remote video). */
  play(withSound: boolean): Promise<void>;
  /** True when a live, unmuted video track is arriving. */
  hasLiveVideo(): boolean;
  destroy(): void;
}

export function createTileVideo(
  video: HTMLVideoElement,
  options: { self: boolean; onTracksChanged: () => void; onSoundBlocked: (blocked: boolean) => void },
): TileVideo {
  let stream: MediaStream | null = null;
  let trackWatch = new Disposer();

  async function play(withSound: boolean): Promise<void> {
    if (withSound && !options.self) {
      video.muted = false;
    }
    try {
      await video.play();
      options.onSoundBlocked(false);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'NotAllowedError' && !options.self) {
        // Autoplay with sound is blocked until a click: play muted, offer a button.
        video.muted = true;
        options.onSoundBlocked(true);
        await video.play().catch(() => undefined);
      }
    }
  }

  function watchTracks(): void {
    trackWatch.dispose();
    trackWatch = new Disposer();
    if (!stream) {
      return;
    }
    const s = stream;
    const onChange = (): void => {
      watchTracks();
      options.onTracksChanged();
    };
    s.addEventListener('addtrack', onChange);
    s.addEventListener('removetrack', onChange);
    trackWatch.add(() => {
      s.removeEventListener('addtrack', onChange);
      s.removeEventListener('removetrack', onChange);
    });
    for (const track of s.getVideoTracks()) {
      for (const type of ['mute', 'unmute', 'ended'] as const) {
        track.addEventListener(type, options.onTracksChanged);
        trackWatch.add(() => track.removeEventListener(type, options.onTracksChanged));
      }
    }
  }

  return {
    setStream(next, force) {
      if (next === stream && !force) {
        return;
      }
      stream = next;
      video.srcObject = null;
      video.srcObject = next;
      watchTracks();
      options.onTracksChanged();
      if (next) {
        void play(false);
      }
    },
    play,
    hasLiveVideo: () => stream?.getVideoTracks().some((t) => t.readyState === 'live' && !t.muted) ?? false,
    destroy() {
      trackWatch.dispose();
      video.srcObject = null;
    },
  };
}
