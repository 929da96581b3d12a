import type { Clock } from './options.js';
import type { Room } from './rooms.js';
import type { Session } from './session.js';
import { Timer } from '@rendezvous/common';

export function callRoomName(callId: string): string {
  return `~call-${callId}`;
}

/**
 * A 1:1 call. `ringing` until the callee accepts (then `active`, both in the private room `~call-<id>`),
 * or until it is rejected, cancelled or times out. A session is in at most one call.
 *
 * It owns its ring timer and the parties' links to it: the constructor links both, dispose() unlinks
 * both and stops the timer. Sending and room membership are left to calls.ts. dispose() is idempotent.
 */
export class Call {
  private current: 'ringing' | 'active' = 'ringing';
  private currentRoom: Room | null = null;
  private readonly ring: Timer;
  private disposed = false;

  constructor(
    readonly id: string,
    readonly caller: Session,
    readonly callee: Session,
    clock: Clock,
  ) {
    this.ring = new Timer(clock);
    caller.linkCall(this);
    callee.linkCall(this);
  }

  get state(): 'ringing' | 'active' {
    return this.current;
  }

  /** The private room, once active. */
  get room(): Room | null {
    return this.currentRoom;
  }

  get ended(): boolean {
    return this.disposed;
  }

  get ringing(): boolean {
    return this.ring.active;
  }

  /** Rings for `ms`, then runs `onTimeout`. */
  startRinging(ms: number, onTimeout: () => void): void {
    if (!this.disposed) {
      this.ring.start(ms, onTimeout);
    }
  }

  /** The callee accepted: the ringing stops, and the call lives in `room`. */
  activate(room: Room): void {
    this.ring.stop();
    this.current = 'active';
    this.currentRoom = room;
  }

  isParty(session: Session): boolean {
    return session === this.caller || session === this.callee;
  }

  /** Stops the ring timer and unlinks both parties. Returns the call room (its members are still in it), once. */
  dispose(): Room | null {
    if (this.disposed) {
      return null;
    }
    this.disposed = true;
    this.ring.stop();
    this.caller.unlinkCall(this);
    this.callee.unlinkCall(this);
    const room = this.currentRoom;
    this.currentRoom = null;
    return room;
  }
}
