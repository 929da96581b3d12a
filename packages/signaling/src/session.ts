import { DEFAULT_MEDIA_STATE, type MediaState, type PeerInfo, type ServerMessage } from '@rendezvous/protocol';
import type { Call } from './calls.js';
import type { Connection } from './connection.js';
import type { Logger } from './options.js';
import type { Room } from './rooms.js';

/**
 * One signaling session: a peer id with its room, call and media state. It outlives its socket for
 * the resume grace: while `connection` is null (detached), messages for it are queued.
 */
export class Session {
  resumeToken: string;
  media: MediaState = { ...DEFAULT_MEDIA_STATE };
  connection: Connection | null = null;
  room: Room | null = null;
  call: Call | null = null;
  /** Messages sent while detached, delivered after a resume. */
  queue: ServerMessage[] = [];
  graceTimer: unknown = null;
  ended = false;

  constructor(
    readonly peerId: string,
    readonly displayName: string,
    readonly userId: string | undefined,
    resumeToken: string,
    readonly log: Logger,
    private readonly maxQueued: number,
    /** Called (once per overflow) when a detached session's queue is full. */
    private readonly onQueueOverflow: (session: Session) => void,
  ) {
    this.resumeToken = resumeToken;
  }

  get detached(): boolean {
    return this.connection === null && !this.ended;
  }

  info(): PeerInfo {
    return { peerId: this.peerId, displayName: this.displayName, media: { ...this.media } };
  }

  /** Sends on the socket, queues while detached, drops once ended. */
  send(message: ServerMessage): void {
    if (this.ended) return;
    if (this.connection !== null) {
      this.connection.send(message);
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      this.log.warn({ type: message.type, queued: this.queue.length }, 'resume queue full; ending session');
      this.onQueueOverflow(this);
      return;
    }
    this.queue.push(message);
  }
}
