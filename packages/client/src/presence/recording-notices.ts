import type { RendezvousError } from '@rendezvous/protocol';
import { TypedEmitter } from '../typed-emitter.js';
import { PresenceIntent } from './presence-intent.js';
import type { PresencePort } from './presence-port.js';
import { PresenceTable } from './presence-table.js';

export interface RecordingNoticesEvents {
  /** A member (this client included) started or stopped recording; a recording member that leaves stops. */
  recording: [peerId: string, recording: boolean];
  /** Announcing the recording again after a rejoin failed. */
  error: [error: RendezvousError];
}

/**
 * Who in the room says it records the call, kept by the server so that late joiners see it too. A recorder
 * announces itself with `setRecording(true)`; every member should then show an indicator. After a lost session
 * is replaced by a rejoin, a recording still announced here is announced again.
 */
export class RecordingNotices extends TypedEmitter<RecordingNoticesEvents> {
  readonly #table: PresenceTable;
  readonly #intent: PresenceIntent;
  #recording = new Set<string>();
  readonly #offClose: () => void;

  constructor(port: PresencePort) {
    super();
    this.#intent = new PresenceIntent(port, (active) => ({ type: 'recording', active }));
    this.#table = new PresenceTable(port, {
      changed: () => this.#refresh(),
      resynced: (self) => void this.#intent.reassert(self.recording).catch((error: RendezvousError) => this.emit('error', error)),
    });
    this.#recording = this.#compute();
    this.#offClose = port.onClose(() => this.close());
  }

  /** The members recording now (this client included), in the order they became known. */
  get recorders(): string[] {
    return [...this.#recording];
  }

  /** Whether `peerId` (or this client's own id) says it records. */
  isRecording(peerId: string): boolean {
    return this.#recording.has(peerId);
  }

  /** Tells the room this client started (true) or stopped (false) recording; resolves once the server confirmed. */
  setRecording(on: boolean): Promise<void> {
    return this.#intent.set(on);
  }

  /** Stops following the room (the room's close does it). Idempotent. */
  close(): void {
    this.#intent.close();
    this.#table.close();
    this.#offClose();
  }

  #compute(): Set<string> {
    return new Set(this.#table.entries().flatMap(([peerId, state]) => (state.recording ? [peerId] : [])));
  }

  #refresh(): void {
    const before = this.#recording;
    const after = this.#compute();
    this.#recording = after;
    for (const peerId of before) {
      if (!after.has(peerId)) {
        this.emit('recording', peerId, false);
      }
    }
    for (const peerId of after) {
      if (!before.has(peerId)) {
        this.emit('recording', peerId, true);
      }
    }
  }
}
