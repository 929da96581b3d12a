import type { WebSocketLike } from './signaling-client.js';

/** In-memory stand-in for a browser WebSocket, driven by the test as the server. */
export class FakeWebSocket implements WebSocketLike {
  static instances: FakeWebSocket[] = [];
  /** When set, new sockets fail to connect (close 1006 without opening). */
  static refuse = false;
  readyState = 0;
  readonly url: string;
  readonly sent: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  onopen: ((event: never) => unknown) | null = null;
  onmessage: ((event: never) => unknown) | null = null;
  onclose: ((event: never) => unknown) | null = null;
  onerror: ((event: never) => unknown) | null = null;

  constructor(url: string) {
    this.url = url;
    FakeWebSocket.instances.push(this);
    queueMicrotask(() => {
      if (FakeWebSocket.refuse) {
        this.drop(1006);
        return;
      }
      this.readyState = 1;
      (this.onopen as ((e: unknown) => void) | null)?.({});
    });
  }

  static reset(): void {
    FakeWebSocket.instances = [];
    FakeWebSocket.refuse = false;
  }

  static last(): FakeWebSocket {
    const socket = FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
    if (socket === undefined) {
      throw new Error('no socket');
    }
    return socket;
  }

  send(data: string): void {
    if (this.readyState !== 1) {
      throw new Error('not open');
    }
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  /** The server sends a message. */
  receive(message: object): void {
    (this.onmessage as ((e: { data: string }) => void) | null)?.({ data: JSON.stringify(message) });
  }

  /** The connection drops (or the server closes it). */
  drop(code = 1006): void {
    this.readyState = 3;
    (this.onclose as ((e: { code: number; reason: string }) => void) | null)?.({ code, reason: '' });
  }

  /** The last message the client sent. */
  lastSent(): Record<string, unknown> {
    const message = this.sent[this.sent.length - 1];
    if (message === undefined) {
      throw new Error('nothing sent');
    }
    return message;
  }
}

export function welcome(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'welcome',
    version: 1,
    peerId: 'peer-aaaaaaaa',
    displayName: 'Ada',
    resumeToken: 'token-1',
    resumed: false,
    iceServers: [{ urls: 'stun:127.0.0.1:3478' }],
    config: { heartbeatIntervalMs: 10000, resumeGraceMs: 15000, maxFrameBytes: 65536, ringTimeoutMs: 30000 },
    ...overrides,
  };
}

export const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
