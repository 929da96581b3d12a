/**
 * Opening the camera and microphone with graceful fallbacks: a remembered device that is gone, a
 * missing camera or a busy microphone still leave whatever else works. Nothing at all is fine too:
 * people may join a room without devices.
 */
import { LocalMedia } from '@rendezvous/client';
import { errorCode } from './errors-text.js';

export interface OpenResult {
  media: LocalMedia | null;
  /** Why something could not be opened (also set when only part of it was). */
  error: unknown;
}

export interface OpenPreferences {
  micId?: string | null;
  cameraId?: string | null;
}

type CaptureConstraints = NonNullable<Parameters<typeof LocalMedia.open>[0]>;

/** The camera size the app asks for (the SDK's capture settings). */
export const VIDEO = { width: 1280, height: 720 } as const;

function constraints(prefs: OpenPreferences, audio: boolean, video: boolean): CaptureConstraints {
  return {
    audio: audio ? (prefs.micId ? { deviceId: prefs.micId } : true) : false,
    video: video ? { ...VIDEO, ...(prefs.cameraId ? { deviceId: prefs.cameraId } : {}) } : false,
  };
}

/** Errors after which asking for less (one kind, or any device) may still work. */
const PARTIAL = new Set(['NO_DEVICE', 'DEVICE_IN_USE', 'CONSTRAINT_NOT_SATISFIED']);

/**
 * Mutes or unmutes. Unmuting opens the device when none is open (camera turned off, or missing when
 * the media was opened), which may fail: unplugged, taken by another app.
 */
export async function setMuted(media: LocalMedia, kind: 'audio' | 'video', muted: boolean): Promise<void> {
  await (kind === 'audio' ? media.setAudioMuted(muted) : media.setVideoMuted(muted));
}

export async function openLocalMedia(prefs: OpenPreferences = {}): Promise<OpenResult> {
  let firstError: unknown = null;
  const attempt = async (p: OpenPreferences, audio: boolean, video: boolean): Promise<LocalMedia | null> => {
    try {
      return await LocalMedia.open(constraints(p, audio, video));
    } catch (error) {
      firstError ??= error;
      return null;
    }
  };

  const media = await attempt(prefs, true, true);
  if (media) {
    return { media, error: null };
  }
  if (!PARTIAL.has(errorCode(firstError) ?? '')) {
    return { media: null, error: firstError };
  }

  // A remembered device may be unplugged: any device will do.
  if (prefs.micId || prefs.cameraId) {
    const any = await attempt({}, true, true);
    if (any) {
      return { media: any, error: null };
    }
  }
  const partial = (await attempt({}, true, false)) ?? (await attempt({}, false, true));
  return { media: partial, error: firstError };
}

/**
 * Lists cameras and microphones. Before the user has granted access, browsers hide device ids and
 * labels: `hidden` then says that devices exist even though none can be picked yet.
 */
export async function listDevices(): Promise<{
  cameras: MediaDeviceInfo[];
  mics: MediaDeviceInfo[];
  hidden: { cameras: boolean; mics: boolean };
}> {
  let devices: MediaDeviceInfo[] = [];
  try {
    devices = await LocalMedia.listDevices();
  } catch (error) {
    console.warn('cannot list devices', error);
  }
  const usable = (kind: MediaDeviceKind): MediaDeviceInfo[] => devices.filter((d) => d.kind === kind && d.deviceId !== '');
  const hidden = (kind: MediaDeviceKind): boolean => devices.some((d) => d.kind === kind && d.deviceId === '');
  return {
    cameras: usable('videoinput'),
    mics: usable('audioinput'),
    hidden: { cameras: hidden('videoinput'), mics: hidden('audioinput') },
  };
}
