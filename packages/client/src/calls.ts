import { RendezvousError, type CallEndReason, type ClientMessageInput, type PeerInfo } from '@rendezvous/protocol';
import type { LocalMedia } from './local-media.js';
import type { Room } from './room.js';
import { TypedEmitter, type Listener } from './typed-emitter.js';

/** What a call object needs from its CallClient. */
export interface CallHost {
  readonly peerId: string;
  send(message: ClientMessageInput): void;
  forget(callId: string): void;
}

export interface ActiveCallEvents {
  ended: [reason: CallEndReason, by?: string];
}

/** An accepted 1:1 call: a private room with two members. */
export class ActiveCall extends TypedEmitter<ActiveCallEvents> {
  readonly callId: string;
  readonly room: Room;
  /** The other party. */
  readonly remote: PeerInfo;
  readonly #host: CallHost;
  #ended = false;

  /** @internal */
  constructor(host: CallHost, callId: string, room: Room, remote: PeerInfo) {
    super();
    this.#host = host;
    this.callId = callId;
    this.room = room;
    this.remote = remote;
    // The call ends with its room. Registered first, so the call has ended before others hear 'closed'.
    room.on('state', (state) => {
      if (state === 'closed') {
        this._end('disconnected');
      }
    });
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Ends the call for both sides: closes the connection and stops the call's local media. Idempotent. */
  hangUp(): Promise<void> {
    if (this.#ended) {
      return Promise.resolve();
    }
    try {
      this.#host.send({ type: 'call-hangup', callId: this.callId });
    } catch {
      // the session is gone: the server ends the call by itself
    }
    this._end('hangup', this.#host.peerId);
    return Promise.resolve();
  }

  /**
   * @internal The call ended (locally or as the server reported). The state settles first: while the room
   * reports 'left', `ended` is already true, and 'ended' (with the reason) follows.
   */
  _end(reason: CallEndReason, by?: string): void {
    if (this.#ended) {
      return;
    }
    this.#ended = true;
    this.#host.forget(this.callId);
    this.room._end();
    this.emit('ended', reason, ...(by === undefined ? [] : [by]));
  }
}

export interface OutgoingCallEvents {
  accepted: [call: ActiveCall];
  ended: [reason: CallEndReason];
}

/** A call we placed that is ringing on the other side. */
export class OutgoingCall extends TypedEmitter<OutgoingCallEvents> {
  readonly callId: string;
  readonly to: PeerInfo;
  /** @internal The media the call's room will send. */
  readonly media: LocalMedia | null;
  readonly #host: CallHost;
  #done = false;
  #endReason: CallEndReason | null = null;

  /** @internal */
  constructor(host: CallHost, callId: string, to: PeerInfo, media: LocalMedia | null) {
    super();
    this.#host = host;
    this.callId = callId;
    this.to = to;
    this.media = media;
  }

  /** Why the call ended before being accepted (for example `busy`), or null. */
  get endReason(): CallEndReason | null {
    return this.#endReason;
  }

  /**
   * `ended` happens once: a listener added after it (a busy callee ends the call before `call()` resolves)
   * is called at once with the reason.
   */
  override on<K extends keyof OutgoingCallEvents>(event: K, listener: Listener<OutgoingCallEvents[K]>): () => void {
    const reason = this.#endReason;
    if (event === 'ended' && reason !== null) {
      return lateEnded(listener as Listener<OutgoingCallEvents['ended']>, reason);
    }
    return super.on(event, listener);
  }

  override once<K extends keyof OutgoingCallEvents>(event: K, listener: Listener<OutgoingCallEvents[K]>): () => void {
    const reason = this.#endReason;
    if (event === 'ended' && reason !== null) {
      return lateEnded(listener as Listener<OutgoingCallEvents['ended']>, reason);
    }
    return super.once(event, listener);
  }

  /** Stops ringing. The media passed to `call()` stays with the application. */
  cancel(): void {
    if (this.#done) {
      return;
    }
    try {
      this.#host.send({ type: 'call-cancel', callId: this.callId });
    } catch {
      // session gone: the server ends the call anyway
    }
    this._end('cancelled');
  }

  /** @internal */
  _accepted(call: ActiveCall): void {
    if (this.#done) {
      return;
    }
    this.#done = true;
    this.emit('accepted', call);
  }

  /** @internal */
  _end(reason: CallEndReason): void {
    if (this.#done) {
      return;
    }
    this.#done = true;
    this.#endReason = reason;
    this.#host.forget(this.callId);
    this.emit('ended', reason);
  }
}

/** Calls a listener added after its call ended (as `emit` would have); there is nothing left to remove. */
function lateEnded(listener: Listener<[reason: CallEndReason]>, reason: CallEndReason): () => void {
  try {
    listener(reason);
  } catch (error) {
    console.error('[rendezvous] a listener for "ended" threw:', error);
  }
  return () => undefined;
}

export interface IncomingCallEvents {
  ended: [reason: CallEndReason];
}

/** Someone is calling us. */
export class IncomingCall extends TypedEmitter<IncomingCallEvents> {
  readonly callId: string;
  readonly from: PeerInfo;
  readonly #host: CallHost;
  readonly #accept: (call: IncomingCall, media: LocalMedia | null) => Promise<ActiveCall>;
  #state: 'ringing' | 'accepting' | 'done' = 'ringing';
  #ended = false;
  /** @internal The media the call's room will send. */
  media: LocalMedia | null = null;

  /** @internal */
  constructor(
    host: CallHost,
    callId: string,
    from: PeerInfo,
    accept: (call: IncomingCall, media: LocalMedia | null) => Promise<ActiveCall>,
  ) {
    super();
    this.#host = host;
    this.callId = callId;
    this.from = from;
    this.#accept = accept;
  }

  /** @internal */
  get accepting(): boolean {
    return this.#state === 'accepting';
  }

  /** Accepts the call; resolves once the call's room is set up. */
  accept(options: { media?: LocalMedia | null } = {}): Promise<ActiveCall> {
    if (this.#state !== 'ringing') {
      return Promise.reject(new RendezvousError('INVALID_STATE', 'This call is no longer ringing'));
    }
    this.#state = 'accepting';
    this.media = options.media ?? null;
    return this.#accept(this, this.media).finally(() => {
      this.#state = 'done';
    });
  }

  /** Declines the call. */
  reject(): void {
    if (this.#state !== 'ringing') {
      return;
    }
    try {
      this.#host.send({ type: 'call-reject', callId: this.callId });
    } catch {
      // session gone
    }
    this._end('rejected');
  }

  /** @internal The call ended before it became active. */
  _end(reason: CallEndReason): void {
    if (this.#ended) {
      return;
    }
    this.#ended = true;
    this.#state = 'done';
    this.#host.forget(this.callId);
    this.emit('ended', reason);
  }
}
