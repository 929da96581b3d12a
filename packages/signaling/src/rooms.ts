import type { JoinedRoom, RoomMember, RoomMode, RoomPeer } from '@rendezvous/protocol';
import type { SfuRoomPort } from './sfu-port.js';
import type { Session } from './session.js';

/** What a member says about itself in this room; it goes when the member leaves. */
export interface Presence {
  /** The raised hand's order number (see raiseHand), or null when the hand is down. */
  hand: number | null;
  recording: boolean;
}

interface Member extends Presence {
  session: Session;
  /** Join sequence number (lower joined earlier). */
  seq: number;
}

/** A room: its members in join order, with their presence. Pure bookkeeping; sending is done by the callers. */
export class Room {
  private readonly members = new Map<string, Member>();
  private nextSeq = 0;
  private lastHand = 0;

  constructor(
    readonly name: string,
    readonly capacity: number,
    /** Private rooms are created by the server for 1:1 calls and never count toward maxRooms. */
    readonly isPrivate: boolean,
    readonly mode: RoomMode = 'mesh',
  ) {}

  /** The room's media on the SFU (rooms of mode `sfu`); closed with the room. */
  sfu: SfuRoomPort | null = null;

  get size(): number {
    return this.members.size;
  }

  get isFull(): boolean {
    return this.members.size >= this.capacity;
  }

  has(peerId: string): boolean {
    return this.members.has(peerId);
  }

  add(session: Session): void {
    if (this.members.has(session.peerId)) {
      return;
    }
    this.members.set(session.peerId, { session, seq: this.nextSeq++, hand: null, recording: false });
  }

  remove(peerId: string): boolean {
    return this.members.delete(peerId);
  }

  /** Every member except `peerId` (all of them without it), in join order (a copy: safe to iterate while the room changes). */
  others(peerId?: string): Session[] {
    const result: Session[] = [];
    for (const [id, member] of this.members) {
      if (id !== peerId) {
        result.push(member.session);
      }
    }
    return result;
  }

  /**
   * `viewer`'s perfect-negotiation role toward `peer`: the one who joined later is impolite and makes
   * the offers, so the viewer is polite toward anyone who joined after it.
   */
  politeToward(viewer: string, peer: string): boolean {
    const a = this.members.get(viewer);
    const b = this.members.get(peer);
    if (a === undefined || b === undefined) {
      return false;
    }
    return a.seq < b.seq;
  }

  /** `peerId`'s presence (a copy); a non-member's is the default: hand down, not recording. */
  presenceOf(peerId: string): Presence {
    const member = this.members.get(peerId);
    return { hand: member?.hand ?? null, recording: member?.recording ?? false };
  }

  /**
   * Raises `peerId`'s hand with the room's next order number (1, 2, 3, … for the room's life, so a hand
   * raised again after being lowered goes to the back). True when it changed: a raised hand keeps its number.
   */
  raiseHand(peerId: string): boolean {
    const member = this.members.get(peerId);
    if (member === undefined || member.hand !== null) {
      return false;
    }
    member.hand = ++this.lastHand;
    return true;
  }

  /** Lowers `peerId`'s hand; true when it was raised. */
  lowerHand(peerId: string): boolean {
    const member = this.members.get(peerId);
    if (member === undefined || member.hand === null) {
      return false;
    }
    member.hand = null;
    return true;
  }

  /** Sets whether `peerId` says it records; true when that changed. */
  setRecording(peerId: string, recording: boolean): boolean {
    const member = this.members.get(peerId);
    if (member === undefined || member.recording === recording) {
      return false;
    }
    member.recording = recording;
    return true;
  }

  /** `member` as a room member: its info and its presence here. */
  memberInfo(member: Session): RoomMember {
    return { ...member.info(), ...this.presenceOf(member.peerId) };
  }

  peerFor(viewer: string, peer: Session): RoomPeer {
    return { ...this.memberInfo(peer), polite: this.politeToward(viewer, peer.peerId) };
  }

  /** The room as `viewer` sees it (the body of `joined`). */
  snapshotFor(viewer: Session): JoinedRoom {
    return {
      room: this.name,
      self: this.memberInfo(viewer),
      peers: this.others(viewer.peerId).map((peer) => this.peerFor(viewer.peerId, peer)),
      capacity: this.capacity,
      mode: this.mode,
    };
  }
}

/** All rooms of one server. */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private publicCount = 0;

  get size(): number {
    return this.rooms.size;
  }

  /** Rooms clients created (what maxRooms limits). */
  get publicSize(): number {
    return this.publicCount;
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  create(name: string, capacity: number, isPrivate: boolean, mode: RoomMode = 'mesh'): Room {
    const existing = this.rooms.get(name);
    if (existing !== undefined) {
      return existing;
    }
    const room = new Room(name, capacity, isPrivate, mode);
    this.rooms.set(name, room);
    if (!isPrivate) {
      this.publicCount++;
    }
    return room;
  }

  /** Removes the room if it has no members left. */
  removeIfEmpty(room: Room): void {
    if (room.size > 0 || this.rooms.get(room.name) !== room) {
      return;
    }
    this.rooms.delete(room.name);
    room.sfu?.close();
    room.sfu = null;
    if (!room.isPrivate) {
      this.publicCount--;
    }
  }

  clear(): void {
    for (const room of this.rooms.values()) {
      room.sfu?.close();
      room.sfu = null;
    }
    this.rooms.clear();
    this.publicCount = 0;
  }
}
