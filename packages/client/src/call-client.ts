import {
  DEFAULT_MEDIA_STATE,
  RendezvousError,
  type PeerInfo,
  type ServerMessage,
  type ServerMessageOf,
} from '@rendezvous/protocol';
import { ActiveCall, IncomingCall, OutgoingCall, type CallHost } from './calls.js';
import type { LocalMedia } from './local-media.js';
import { Room, type RoomOptions } from './room.js';
import { SignalingClient, type WebSocketConstructor } from './signaling-client.js';
import { TypedEmitter } from './typed-emitter.js';

export interface CallClientOptions {
  displayName: string;
  token?: string;
  WebSocketImpl?: WebSocketConstructor;
  /** Use this session instead of opening one (it is then left open on `close()`). */
  signaling?: SignalingClient;
  /** Passed to every call's Room. */
  rtcConfig?: RTCConfiguration;
  iceRestartTimeoutMs?: number;
}

export interface CallClientEvents {
  incoming: [call: IncomingCall];
  error: [error: RendezvousError];
}

interface AwaitedRoom {
  callId: string;
  remote: PeerInfo;
  media: LocalMedia | null;
  onActive: (call: ActiveCall) => void;
}

const ACCEPT_TIMEOUT_MS = 10_000;

/** 1:1 calls: ring another online peer, answer incoming calls. Each accepted call is a two-member Room. */
export class CallClient extends TypedEmitter<CallClientEvents> {
  readonly signaling: SignalingClient;
  readonly #owns: boolean;
  readonly #options: CallClientOptions;
  readonly #outgoing = new Map<string, OutgoingCall>();
  readonly #incoming = new Map<string, IncomingCall>();
  readonly #active = new Map<string, ActiveCall>();
  /** Call rooms announced by call-accepted whose `joined` has not arrived yet, by room name. */
  readonly #awaiting = new Map<string, AwaitedRoom>();
  /** Incoming calls we accepted whose call-accepted has not arrived yet, by call id. */
  readonly #pendingAccept = new Map<string, Omit<AwaitedRoom, 'callId'>>();
  readonly #unsubscribe: (() => void)[];
  readonly #host: CallHost;
  #closed = false;

  private constructor(signaling: SignalingClient, owns: boolean, options: CallClientOptions) {
    super();
    this.signaling = signaling;
    this.#owns = owns;
    this.#options = options;
    this.#host = {
      get peerId() {
        return signaling.peerId;
      },
      send: (message) => this.signaling.send(message),
      forget: (callId) => this.#forget(callId),
    };
    this.#unsubscribe = [
      signaling.on('message', (message) => this.#onMessage(message)),
      signaling.on('reset', () => this.#endAll('disconnected')),
      signaling.on('state', (state) => {
        if (state === 'closed') {
          this.close();
        }
      }),
      signaling.on('error', (error) => this.emit('error', error)),
    ];
  }

  static async connect(url: string, options: CallClientOptions): Promise<CallClient> {
    if (options.signaling !== undefined) {
      return new CallClient(options.signaling, false, options);
    }
    const signaling = await SignalingClient.connect(url, {
      displayName: options.displayName,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.WebSocketImpl === undefined ? {} : { WebSocketImpl: options.WebSocketImpl }),
    });
    return new CallClient(signaling, true, options);
  }

  get peerId(): string {
    return this.signaling.peerId;
  }

  /** Rings `peerId`; resolves once their client is ringing. `media` is what the call will send. */
  async call(peerId: string, options: { media?: LocalMedia | null } = {}): Promise<OutgoingCall> {
    if (this.#closed) {
      throw new RendezvousError('SIGNALING_CLOSED');
    }
    const reply = await this.signaling.request({ type: 'call', to: peerId }, ['call-ringing', 'call-ended']);
    if (reply.type === 'call-ended') {
      // The callee is busy: the call is over before the caller has it. Its `ended` reaches listeners added later.
      const call = new OutgoingCall(
        this.#host,
        reply.callId,
        { peerId, displayName: '', media: { ...DEFAULT_MEDIA_STATE } },
        null,
      );
      call._end(reply.reason);
      return call;
    }
    const call = new OutgoingCall(this.#host, reply.callId, reply.to, options.media ?? null);
    this.#outgoing.set(call.callId, call);
    return call;
  }

  /** Ends every call and, if this client opened it, the signaling session. Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#endAll('disconnected');
    for (const off of this.#unsubscribe.splice(0)) {
      off();
    }
    if (this.#owns) {
      this.signaling.close();
    }
  }

  // ---- internals ----

  #forget(callId: string): void {
    this.#outgoing.delete(callId);
    this.#incoming.delete(callId);
    this.#active.delete(callId);
    for (const [room, awaited] of this.#awaiting) {
      if (awaited.callId === callId) {
        this.#awaiting.delete(room);
      }
    }
  }

  #endAll(reason: 'disconnected'): void {
    for (const call of [...this.#active.values()]) {
      call._end(reason);
    }
    for (const call of [...this.#outgoing.values()]) {
      call._end(reason);
    }
    for (const call of [...this.#incoming.values()]) {
      call._end(reason);
    }
    this.#awaiting.clear();
  }

  #accept(call: IncomingCall, media: LocalMedia | null): Promise<ActiveCall> {
    return new Promise<ActiveCall>((resolve, reject) => {
      let settled = false;
      const finish = (error: RendezvousError | null, active?: ActiveCall): void => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        offEnded();
        if (error === null && active !== undefined) {
          resolve(active);
        } else {
          reject(error ?? new RendezvousError('INVALID_STATE'));
        }
      };
      const timer = setTimeout(() => {
        // Accepted by the server but no room yet: hang up, or the server keeps us in the call.
        if (!this.#pendingAccept.delete(call.callId)) {
          this.#sendHangup(call.callId);
        }
        finish(new RendezvousError('TIMEOUT', 'The call room was not set up in time'));
        call._end('disconnected');
      }, ACCEPT_TIMEOUT_MS);
      const offEnded = call.on('ended', (reason) => finish(new RendezvousError('CALL_NOT_FOUND', `The call ended (${reason})`)));
      this.#pendingAccept.set(call.callId, { remote: call.from, media, onActive: (active) => finish(null, active) });
      this.signaling.request({ type: 'call-accept', callId: call.callId }, 'call-accepted').catch((error: unknown) => {
        this.#pendingAccept.delete(call.callId);
        finish(error instanceof RendezvousError ? error : new RendezvousError('INVALID_STATE', undefined, { cause: error }));
        call._end('disconnected');
      });
    });
  }

  #onMessage(message: ServerMessage): void {
    if (this.#closed) {
      return;
    }
    switch (message.type) {
      case 'incoming-call': {
        const call = new IncomingCall(this.#host, message.callId, message.from, (c, media) => this.#accept(c, media));
        this.#incoming.set(call.callId, call);
        this.emit('incoming', call);
        break;
      }
      case 'call-accepted':
        this.#onAccepted(message);
        break;
      case 'joined': {
        const awaited = this.#awaiting.get(message.room);
        if (awaited === undefined) {
          break;
        }
        this.#awaiting.delete(message.room);
        // Built synchronously, so the peer-joined that follows reaches the room.
        const roomOptions: RoomInit['options'] = {
          media: awaited.media,
          ...(this.#options.rtcConfig === undefined ? {} : { rtcConfig: this.#options.rtcConfig }),
          ...(this.#options.iceRestartTimeoutMs === undefined ? {} : { iceRestartTimeoutMs: this.#options.iceRestartTimeoutMs }),
        };
        const room = new Room({
          signaling: this.signaling,
          joined: message,
          ownsSignaling: false,
          rejoinOnReset: false,
          options: roomOptions,
        });
        const active = new ActiveCall(this.#host, awaited.callId, room, awaited.remote);
        this.#outgoing.delete(awaited.callId);
        this.#incoming.delete(awaited.callId);
        this.#active.set(active.callId, active);
        awaited.onActive(active);
        break;
      }
      case 'call-ended': {
        const { callId, reason, by } = message;
        const active = this.#active.get(callId);
        if (active !== undefined) {
          active._end(reason, by);
        }
        this.#outgoing.get(callId)?._end(reason);
        this.#incoming.get(callId)?._end(reason);
        this.#pendingAccept.delete(callId);
        this.#forget(callId);
        break;
      }
      default:
        break;
    }
  }

  #onAccepted(message: ServerMessageOf<'call-accepted'>): void {
    const outgoing = this.#outgoing.get(message.callId);
    if (outgoing !== undefined) {
      this.#awaiting.set(message.room, {
        callId: outgoing.callId,
        remote: outgoing.to,
        media: outgoing.media,
        onActive: (active) => outgoing._accepted(active),
      });
      return;
    }
    const pending = this.#pendingAccept.get(message.callId);
    if (pending !== undefined) {
      this.#pendingAccept.delete(message.callId);
      this.#awaiting.set(message.room, { callId: message.callId, ...pending });
      return;
    }
    // Accepted after it ended here (cancelled, or the accept timed out): end it on the server too.
    this.#sendHangup(message.callId);
  }

  #sendHangup(callId: string): void {
    try {
      this.signaling.send({ type: 'call-hangup', callId });
    } catch {
      // the session is gone: the server ends the call by itself
    }
  }
}

type RoomInit = ConstructorParameters<typeof Room>[0];
export type { RoomOptions };
