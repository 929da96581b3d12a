/**
 * One recording at a time: what to record (own media, one peer, the whole call), the SDK's Recorder, the room
 * told while it captures, and the file downloaded when it stops (by the button, the room closing, or leaving).
 */
import {
  Recorder,
  callSources,
  downloadRecording,
  localSources,
  peerSources,
  type RecordingProgress,
  type RecordingSources,
  type Room,
} from '@rendezvous/client';
import { describeError, errorCode, lowerFirst } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { toast } from '../ui/toasts.js';

export type RecordingChoice = { kind: 'self' } | { kind: 'peer'; peerId: string } | { kind: 'call' };

export type RecordingPhase = 'idle' | 'recording' | 'stopping';

export interface RecordingSession {
  readonly phase: RecordingPhase;
  readonly progress: RecordingProgress;
  start(choice: RecordingChoice): void;
  /** Stops and downloads the file; nothing when not recording. */
  stop(): Promise<void>;
}

export interface RecordingHooks {
  /** The phase changed, or a progress tick arrived. */
  onChange(): void;
}

function sourcesFor(room: Room, choice: RecordingChoice): RecordingSources | null {
  if (choice.kind === 'call') {
    return callSources(room);
  }
  if (choice.kind === 'self') {
    return room.media === null ? null : localSources(room.media, room.self.displayName);
  }
  const peer = room.peers.get(choice.peerId);
  return peer === undefined ? null : peerSources(peer);
}

function failureText(error: unknown): string {
  return errorCode(error) === 'RECORDING_UNSUPPORTED'
    ? t('recording.unsupported')
    : t('recording.failed', { problem: lowerFirst(describeError(error).title) });
}

/** Tells the room; a room that closed meanwhile has nobody left to tell. */
function tellRoom(room: Room, on: boolean): void {
  if (room.state !== 'closed') {
    room.recordings.setRecording(on).catch(() => undefined);
  }
}

export function createRecordingSession(room: Room, hooks: RecordingHooks): RecordingSession {
  let recorder: Recorder | null = null;
  let phase: RecordingPhase = 'idle';
  let progress: RecordingProgress = { elapsedMs: 0, bytes: 0 };
  const set = (next: RecordingPhase): void => {
    phase = next;
    hooks.onChange();
  };

  /** The recording is over (saved or failed): the room is told, the button is free again. */
  const finish = (): void => {
    tellRoom(room, false);
    recorder = null;
    set('idle');
  };

  const stop = async (): Promise<void> => {
    const current = recorder;
    if (current === null || phase !== 'recording') {
      return;
    }
    set('stopping');
    try {
      const result = await current.stop();
      downloadRecording(result);
      toast(t('recording.saved', { file: result.fileName }), { kind: 'success' });
    } catch (error) {
      toast(failureText(error), { kind: 'error' });
    } finally {
      finish();
    }
  };

  const start = (choice: RecordingChoice): void => {
    const sources = sourcesFor(room, choice);
    if (phase !== 'idle' || sources === null) {
      return;
    }
    const next = new Recorder(sources);
    next.on('progress', (tick) => {
      progress = tick;
      hooks.onChange();
    });
    next.on('recording', (on) => tellRoom(room, on));
    // A failed recorder is over; while stopping, the pending stop() rejects with the same error and reports it.
    next.on('error', (error) => {
      if (recorder === next && phase === 'recording') {
        toast(failureText(error), { kind: 'error' });
        finish();
      }
    });
    try {
      next.start();
    } catch (error) {
      next.close();
      toast(failureText(error), { kind: 'error' });
      return;
    }
    recorder = next;
    progress = { elapsedMs: 0, bytes: 0 };
    set('recording');
  };

  return {
    get phase() {
      return phase;
    },
    get progress() {
      return progress;
    },
    start,
    stop,
  };
}
