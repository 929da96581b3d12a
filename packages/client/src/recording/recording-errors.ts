import { RendezvousError } from '@rendezvous/protocol';

/** The browser cannot record (no MediaRecorder, no MP4 or WebM type, no canvas capture or WebAudio). */
export function recordingUnsupported(message: string, cause?: unknown): RendezvousError {
  return RendezvousError.of('RECORDING_UNSUPPORTED', message, cause);
}

/** The recording failed, or the recorder is in no state to do what was asked. */
export function recordingFailed(message: string, cause?: unknown): RendezvousError {
  return RendezvousError.of('RECORDING_FAILED', message, cause);
}

/** Asked of a recorder in the wrong state (started twice, stopped when not recording, closed meanwhile). */
export function recorderState(message: string): RendezvousError {
  return new RendezvousError('INVALID_STATE', message);
}
