import {
  parseServerMessage,
  PROTOCOL_VERSION,
  type ClientMessageInput,
  type ServerMessage,
  type ServerMessageOf,
  type ServerMessageType,
} from '@rendezvous/protocol';
import { once } from 'node:events';
import { WebSocket, type ClientOptions } from 'ws';

const DEFAULT_WAIT_MS = 10_000;

interface Waiter {
  match: (message: ServerMessage) => boolean;
  resolve: (message: ServerMessage) => void;
}

let syncCounter = 0;

/**
 * A `ws` client for tests. Every incoming frame is checked against the protocol's server schema and
 * queued; next(type) takes the first queued message of that type, waiting for it if needed.
 */
export class TestClient {
  readonly inbox: ServerMessage[] = [];
  /** Frames from the server that did not match the protocol schema (should stay empty). */
  readonly violations: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  peerId = '';
  resumeToken = '';
  private readonly waiters = new Set<Waiter>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const text = isBinary
        ? '<binary>'
        : Buffer.isBuffer(data)
          ? data.toString('utf8')
          : (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
      const parsed = parseServerMessage(text);
      if (!parsed.ok) {
        this.violations.push(`${parsed.code}: ${parsed.detail}: ${text.slice(0, 200)}`);
        return;
      }
      this.deliver(parsed.message);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('error', () => {});
  }

  static connect(url: string, options: ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new TestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) => reject(new Error(`unexpected response ${response.statusCode}`)));
    });
  }

  private deliver(message: ServerMessage): void {
    for (const waiter of this.waiters) {
      if (waiter.match(message)) {
        this.waiters.delete(waiter);
        waiter.resolve(message);
        return;
      }
    }
    this.inbox.push(message);
  }

  send(message: ClientMessageInput): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Sends any JSON value, valid or not. */
  sendJson(value: unknown): void {
    this.ws.send(JSON.stringify(value));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** The first message matching `match`, queued or yet to come. Rejects after `timeoutMs` (a failure). */
  waitFor(match: (message: ServerMessage) => boolean, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<ServerMessage> {
    const index = this.inbox.findIndex(match);
    if (index >= 0) {
      return Promise.resolve(this.inbox.splice(index, 1)[0] as ServerMessage);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; inbox: ${JSON.stringify(this.inbox).slice(0, 500)}`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** The first message of `type`, queued or yet to come. */
  async next<T extends ServerMessageType>(type: T, timeoutMs?: number): Promise<ServerMessageOf<T>> {
    return (await this.waitFor((message) => message.type === type, type, timeoutMs)) as ServerMessageOf<T>;
  }

  /** The error answering `requestId`. */
  async errorFor(requestId: string): Promise<ServerMessageOf<'error'>> {
    return (await this.waitFor(
      (m) => m.type === 'error' && m.requestId === requestId,
      `error ${requestId}`,
    )) as ServerMessageOf<'error'>;
  }

  /**
   * A round trip: sends a frame the server rejects and waits for its answer. Whatever the server sent
   * this client before handling it has then arrived.
   */
  async sync(): Promise<void> {
    const requestId = `sync-${++syncCounter}`;
    this.sendJson({ type: 'sync-probe', requestId });
    await this.errorFor(requestId);
  }

  /** Asserts (after a round trip) that no message of `type` (or none at all) is waiting. */
  async expectNothing(type?: ServerMessageType): Promise<void> {
    await this.sync();
    const unexpected = this.inbox.filter((m) => type === undefined || m.type === type);
    if (unexpected.length > 0) {
      throw new Error(`unexpected messages: ${JSON.stringify(unexpected)}`);
    }
  }

  /** Says hello and waits for welcome; remembers the peer id and resume token. */
  async hello(displayName = 'Tester', extra: Record<string, unknown> = {}): Promise<ServerMessageOf<'welcome'>> {
    this.sendJson({ type: 'hello', version: PROTOCOL_VERSION, displayName, ...extra });
    const welcome = await this.next('welcome');
    this.peerId = welcome.peerId;
    this.resumeToken = welcome.resumeToken;
    return welcome;
  }

  async join(room: string, extra: Record<string, unknown> = {}): Promise<ServerMessageOf<'joined'>> {
    const requestId = `join-${++syncCounter}`;
    this.sendJson({ type: 'join', room, requestId, ...extra });
    const reply = await this.waitFor((m) => 'requestId' in m && m.requestId === requestId, `reply to join ${room}`);
    if (reply.type !== 'joined') {
      throw new Error(`join failed: ${JSON.stringify(reply)}`);
    }
    return reply;
  }

  /** Resolves on the next ping from the server. Call it before making the server ping. */
  pinged(timeoutMs = DEFAULT_WAIT_MS): Promise<unknown> {
    return once(this.ws, 'ping', { signal: AbortSignal.timeout(timeoutMs) });
  }

  /** The close of this socket, or a rejection after `timeoutMs` (a failure). */
  whenClosed(timeoutMs = DEFAULT_WAIT_MS): Promise<{ code: number; reason: string }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('timed out waiting for the socket to close')), timeoutMs);
    });
    return Promise.race([this.closed, timeout]).finally(() => clearTimeout(timer));
  }

  close(code = 1000): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code);
    }
    return this.whenClosed();
  }
}
