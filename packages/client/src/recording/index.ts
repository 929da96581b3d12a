export { Recorder, type RecorderEvents, type RecorderOptions, type RecorderState, type RecordingResult } from './recorder.js';
export type { RecordingProgress } from './progress-meter.js';
export { downloadRecording } from './download.js';
export {
  callSources,
  localSources,
  peerSources,
  type CallLike,
  type RecordingSource,
  type RecordingSources,
} from './recording-sources.js';
export { chooseRecordingFormat, type RecordingContainer, type RecordingFormat } from './recording-format.js';
