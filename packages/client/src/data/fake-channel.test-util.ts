/**
 * Fake data channels for the data-layer tests: two FakeChannel ends wired to each other, and FakePeerChannels on
 * both sides of one fake connection. Sent frames sit in the sender's `bufferedAmount` until delivered: at once in
 * a microtask (`auto`, the default) or when the test calls `deliver()` (manual, to hold backpressure).
 */
import type { DataChannelLike, PeerChannels } from './channel-port.js';

type Listener = (event: { data: unknown }) => void;

export class FakeChannel implements DataChannelLike {
  readonly label: string;
  readyState: RTCDataChannelState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'blob';
  remote: FakeChannel | null = null;
  /** Every frame this end sent, in order. */
  readonly sent: Array<string | ArrayBuffer> = [];
  readonly #pending: Array<string | ArrayBuffer> = [];
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #auto: boolean;
  #scheduled = false;
  #closeAfterFlush = false;

  constructor(label: string, auto: boolean) {
    this.label = label;
    this.#auto = auto;
  }

  static pair(label: string, auto = true): [FakeChannel, FakeChannel] {
    const a = new FakeChannel(label, auto);
    const b = new FakeChannel(label, auto);
    a.remote = b;
    b.remote = a;
    return [a, b];
  }

  send(data: string | ArrayBuffer | ArrayBufferView): void {
    if (this.readyState !== 'open') {
      throw new Error(`InvalidStateError: channel is ${this.readyState}`);
    }
    const frame = typeof data === 'string' ? data : toArrayBuffer(data);
    this.sent.push(frame);
    this.#pending.push(frame);
    this.bufferedAmount += typeof frame === 'string' ? frame.length : frame.byteLength;
    this.#schedule();
  }

  /** Starts closing; both ends fire `close` once what is buffered has been delivered. */
  close(): void {
    if (this.readyState === 'closing' || this.readyState === 'closed') {
      return;
    }
    this.readyState = 'closing';
    this.#closeAfterFlush = true;
    this.#schedule();
  }

  /** Opens both ends (fires `open` on each). */
  open(): void {
    for (const end of [this, this.remote]) {
      if (end === null || end.readyState !== 'connecting') {
        continue;
      }
      end.readyState = 'open';
      end.fire('open');
    }
  }

  /** The connection dropped: both ends close at once, nothing buffered is delivered. */
  drop(): void {
    this.#pending.length = 0;
    this.bufferedAmount = 0;
    for (const end of [this, this.remote]) {
      if (end === null || end.readyState === 'closed') {
        continue;
      }
      end.readyState = 'closed';
      end.fire('close');
    }
  }

  /** Delivers up to `count` frames to the remote end; fires `bufferedamountlow` when crossing the threshold. */
  deliver(count = Infinity): void {
    for (let i = 0; i < count; i++) {
      const frame = this.#pending.shift();
      if (frame === undefined) {
        break;
      }
      const before = this.bufferedAmount;
      this.bufferedAmount -= typeof frame === 'string' ? frame.length : frame.byteLength;
      const remote = this.remote;
      if (remote !== null && remote.readyState === 'open') {
        remote.fire('message', { data: frame });
      }
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) {
        this.fire('bufferedamountlow');
      }
    }
    if (this.#pending.length === 0 && this.#closeAfterFlush) {
      this.#closeAfterFlush = false;
      this.drop();
    }
  }

  get pendingFrames(): number {
    return this.#pending.length;
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.#listeners.get(type);
    if (set === undefined) {
      this.#listeners.set(type, (set = new Set()));
    }
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.#listeners.get(type)?.delete(listener);
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.#listeners.values()) {
      count += set.size;
    }
    return count;
  }

  fire(type: string, event: { data: unknown } = { data: undefined }): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      listener(event);
    }
  }

  #schedule(): void {
    if (!this.#auto || this.#scheduled) {
      return;
    }
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.deliver();
    });
  }
}

function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) {
    return data.slice(0);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer;
}

/** One side of a fake connection. */
export class FakePeerChannels implements PeerChannels {
  readonly messages: FakeChannel;
  other: FakePeerChannels | null = null;
  /** Every extra channel this side opened or was given. */
  readonly channels: FakeChannel[] = [];
  readonly #listeners = new Set<(channel: FakeChannel) => void>();
  readonly #auto: boolean;

  constructor(messages: FakeChannel, auto: boolean) {
    this.messages = messages;
    this.#auto = auto;
  }

  /** Opens a channel pair; the remote end is announced to the other side, then both open (in a microtask if auto). */
  open(label: string): FakeChannel {
    const [local, remote] = FakeChannel.pair(label, this.#auto);
    this.channels.push(local);
    const announce = (): void => {
      this.other?.channels.push(remote);
      this.other?.announce(remote);
      local.open();
    };
    if (this.#auto) {
      queueMicrotask(announce);
    } else {
      this.pendingAnnounce.push(announce);
    }
    return local;
  }

  /** Manual mode: announcements waiting for `announceAll()`. */
  readonly pendingAnnounce: Array<() => void> = [];

  announceAll(): void {
    for (const announce of this.pendingAnnounce.splice(0)) {
      announce();
    }
  }

  announce(channel: FakeChannel): void {
    for (const listener of [...this.#listeners]) {
      listener(channel);
    }
  }

  onChannel(listener: (channel: DataChannelLike) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get channelListenerCount(): number {
    return this.#listeners.size;
  }
}

/** Both sides of one fake connection: `a` is the local side, `b` the remote side. */
export function fakeConnection(options: { auto?: boolean; open?: boolean } = {}): { a: FakePeerChannels; b: FakePeerChannels } {
  const auto = options.auto ?? true;
  const [ma, mb] = FakeChannel.pair('messages', auto);
  const a = new FakePeerChannels(ma, auto);
  const b = new FakePeerChannels(mb, auto);
  a.other = b;
  b.other = a;
  if (options.open ?? true) {
    ma.open();
  }
  return { a, b };
}

/** Lets every queued microtask (fake deliveries and the promise chains they resume) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
