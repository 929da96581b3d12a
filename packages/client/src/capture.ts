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
