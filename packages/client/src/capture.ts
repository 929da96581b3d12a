import { RendezvousError } from '@rendezvous/protocol';
import { missingMediaDevicesError, toMediaError } from './media-errors.js';

/** Camera and microphone constraints as the SDK takes them, and their translation for getUserMedia. */
export interface VideoConstraints {
  deviceId?: string;
  width?: number;
  height?: number;
  frameRate?: number;
  facingMode?: string;
}
export interface AudioConstraints {
  deviceId?: string;
  echoCancellation?: boolean;
  noiseSuppression?: boolean;
  autoGainControl?: boolean;
}
export interface CaptureConstraints {
  audio?: boolean | AudioConstraints;
  video?: boolean | VideoConstraints;
}
/** getUserMedia constraints for a camera: size and rate are ideals, a device id is exact. */
export function videoConstraints(c: VideoConstraints, deviceId?: string): MediaTrackConstraints {
  const out: MediaTrackConstraints = {};
  const id = deviceId ?? c.deviceId;
  if (id !== undefined) {
    out.deviceId = { exact: id };
  }
  if (c.width !== undefined) {
    out.width = { ideal: c.width };
  }
  if (c.height !== undefined) {
    out.height = { ideal: c.height };
  }
  if (c.frameRate !== undefined) {
    out.frameRate = { ideal: c.frameRate };
  }
  if (c.facingMode !== undefined && id === undefined) {
    out.facingMode = { ideal: c.facingMode };
  }
  return out;
}

export function audioConstraints(c: AudioConstraints, deviceId?: string): MediaTrackConstraints {
  const out: MediaTrackConstraints = {};
  const id = deviceId ?? c.deviceId;
  if (id !== undefined) {
    out.deviceId = { exact: id };
  }
  if (c.echoCancellation !== undefined) {
    out.echoCancellation = c.echoCancellation;
  }
  if (c.noiseSuppression !== undefined) {
    out.noiseSuppression = c.noiseSuppression;
  }
  if (c.autoGainControl !== undefined) {
    out.autoGainControl = c.autoGainControl;
  }
  return out;
}

export async function capture(constraints: MediaStreamConstraints): Promise<MediaStream> {
  const missing = missingMediaDevicesError();
  if (missing !== null) {
    throw missing;
  }
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch (error) {
    throw toMediaError(error);
  }
}

/** A screen capture: the video, and the system or tab audio when one came with it. */
export interface ScreenTracks {
  video: MediaStreamTrack;
  audio: MediaStreamTrack | null;
}

/** What getDisplayMedia is asked for: the screen, and system or tab audio where the browser offers it. */
export function displayMediaOptions(audio: boolean): DisplayMediaStreamOptions {
  // `systemAudio: 'include'` lets Chromium offer the whole system's audio, not only a tab's.
  return audio
    ? ({ video: true, audio: true, systemAudio: 'include' } as DisplayMediaStreamOptions)
    : { video: true, audio: false };
}

/**
 * Asks the browser for a screen (getDisplayMedia) and, when `audio`, for its audio. Whether audio came
 * back is read from the capture (browsers and users may decline it), never assumed.
 */
export async function captureScreen(audio: boolean): Promise<ScreenTracks> {
  const devices = (globalThis as { navigator?: Navigator }).navigator?.mediaDevices;
  if (devices === undefined || typeof devices.getDisplayMedia !== 'function') {
    throw missingMediaDevicesError() ?? new RendezvousError('UNSUPPORTED_BROWSER', 'Screen sharing is not supported here');
  }
  let stream: MediaStream;
  try {
    stream = await devices.getDisplayMedia(displayMediaOptions(audio));
  } catch (error) {
    throw toMediaError(error);
  }
  const video = stream.getVideoTracks()[0];
  const screenAudio = audio ? (stream.getAudioTracks().find((t) => t.readyState === 'live') ?? null) : null;
  for (const other of stream.getTracks()) {
    if (other !== video && other !== screenAudio) {
      other.stop();
    }
  }
  if (video === undefined) {
    screenAudio?.stop();
    throw new RendezvousError('NO_DEVICE', 'The browser returned no screen track');
  }
  return { video, audio: screenAudio };
}

/** The screen and its audio out of what an app passed to `startScreenShare` (a track, or a stream). */
export function screenTracksOf(source: MediaStreamTrack | MediaStream): ScreenTracks {
  if (typeof MediaStream === 'undefined' || !(source instanceof MediaStream)) {
    return { video: source as MediaStreamTrack, audio: null };
  }
  const video = source.getVideoTracks()[0];
  if (video === undefined) {
    throw new RendezvousError('NO_DEVICE', 'The stream to share has no video track');
  }
  return { video, audio: source.getAudioTracks()[0] ?? null };
}
