import {
  PROTOCOL_VERSION,
  RendezvousError,
  parseServerMessage,
  type ClientMessageInput,
  type ServerMessageOf,
} from '@rendezvous/protocol';

export type Welcome = ServerMessageOf<'welcome'>;

/** The part of the WebSocket API the client uses; the browser's `WebSocket` and the `ws` package fit it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: never) => unknown) | null;
  onmessage: ((event: never) => unknown) | null;
  onclose: ((event: never) => unknown) | null;
  onerror: ((event: never) => unknown) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface HandshakeOptions {
  WebSocketImpl: WebSocketConstructor;
  url: string;
  displayName: string;
  token: string | undefined;
  resumeToken: string | undefined;
  timeoutMs: number;
  /** Called synchronously with the socket when `welcome` arrives, before anything else can be received. */
  onWelcome: (socket: WebSocketLike) => void;
}

export interface Handshake {
  socket: WebSocketLike | null;
  welcome: Promise<Welcome>;
  /** Abandons the attempt: closes the socket, rejects `welcome` with SIGNALING_CLOSED. */
  cancel: () => void;
}

export function detach(socket: WebSocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}

/** Opens one socket and says hello; `welcome` resolves with the server's welcome or rejects with a coded error. */
export function handshake(options: HandshakeOptions): Handshake {
  let socket: WebSocketLike;
  try {
    socket = new options.WebSocketImpl(options.url);
  } catch (error) {
    const failed = Promise.reject(new RendezvousError('SIGNALING_UNREACHABLE', `Cannot open ${options.url}`, { cause: error }));
    return { socket: null, welcome: failed, cancel: () => undefined };
  }
  let cancel: () => void = () => undefined;
  const welcome = new Promise<Welcome>((resolve, reject) => {
    let settled = false;
    const fail = (error: RendezvousError): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      detach(socket);
      try {
        socket.close(1000);
      } catch {
        // already closed
      }
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new RendezvousError('TIMEOUT', 'The signaling server did not welcome us in time')),
      options.timeoutMs,
    );
    cancel = () => fail(new RendezvousError('SIGNALING_CLOSED'));
    socket.onopen = () => {
      const hello: ClientMessageInput = {
        type: 'hello',
        version: PROTOCOL_VERSION,
        displayName: options.displayName,
        ...(options.resumeToken === undefined ? {} : { resumeToken: options.resumeToken }),
        ...(options.token === undefined ? {} : { token: options.token }),
      };
      socket.send(JSON.stringify(hello));
    };
    socket.onerror = () => undefined;
    socket.onclose = (event: { code: number; reason: string }) =>
      fail(
        new RendezvousError(
          'SIGNALING_UNREACHABLE',
          `The signaling socket closed (${event.code}${event.reason === '' ? '' : ` ${event.reason}`})`,
        ),
      );
    socket.onmessage = (event: { data: unknown }) => {
      if (typeof event.data !== 'string' || settled) {
        return;
      }
      const parsed = parseServerMessage(event.data);
      if (!parsed.ok) {
        return;
      }
      const message = parsed.message;
      if (message.type === 'error') {
        fail(new RendezvousError(message.code, message.message));
        return;
      }
      if (message.type !== 'welcome') {
        return;
      }
      settled = true;
      clearTimeout(timer);
      options.onWelcome(socket);
      resolve(message);
    };
  });
  return { socket, welcome, cancel: () => cancel() };
}
