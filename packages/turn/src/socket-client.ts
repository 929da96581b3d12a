/** TestClient over real sockets (UDP, TCP, TLS) for the tests that run a listening server. */
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { StreamFramer } from '@rendezvous/stun';
import { TestClient, type ClientCredentials } from './test-client.js';

const open = new Set<() => void>();

/** Closes every socket these helpers opened and that is still open (for afterEach: a failed test leaves some). */
export function closeAllClients(): void {
  for (const close of [...open]) {
    close();
  }
}

function track(close: () => void): () => void {
  const once = (): void => {
    if (!open.delete(once)) {
      return;
    }
    close();
  };
  open.add(once);
  return once;
}

export interface SocketClient {
  client: TestClient;
  /** The client's own address as the server sees it (loopback tests). */
  local: { address: string; port: number };
  /** Resolves when the server closed a stream connection (never for UDP). */
  closed: Promise<void>;
  /** Raw bytes to the server. */
  write(data: Buffer): void;
  close(): void;
}

export async function connectUdp(port: number, host: string, credentials?: ClientCredentials): Promise<SocketClient> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.connect(port, host, resolve));
  const write = (data: Buffer): void => socket.send(data);
  const client = new TestClient(write, credentials);
  socket.on('message', (data) => {
    try {
      client.receive(data);
    } catch {
      // not for the test client
    }
  });
  const { address, port: localPort } = socket.address();
  return {
    client,
    local: { address, port: localPort },
    closed: new Promise(() => {}),
    write,
    close: track(() => socket.close()),
  };
}

function streamClient(socket: net.Socket, credentials: ClientCredentials | undefined): SocketClient {
  const write = (data: Buffer): void => {
    socket.write(data);
  };
  const client = new TestClient(write, credentials, true);
  const framer = new StreamFramer();
  socket.on('data', (chunk: Buffer) => {
    framer.push(chunk);
    for (let frame = framer.next(); frame !== undefined; frame = framer.next()) {
      client.receive(frame);
    }
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    client,
    local: { address: socket.localAddress!, port: socket.localPort! },
    closed,
    write,
    close: track(() => socket.destroy()),
  };
}

/** `localAddress`: the client's own address, e.g. 127.0.0.2 for a second client address on loopback. */
export async function connectTcp(
  port: number,
  host: string,
  credentials?: ClientCredentials,
  localAddress?: string,
): Promise<SocketClient> {
  const socket = net.connect({ port, host, noDelay: true, ...(localAddress === undefined ? {} : { localAddress }) });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return streamClient(socket, credentials);
}

export async function connectTls(port: number, host: string, ca: string, credentials?: ClientCredentials): Promise<SocketClient> {
  const socket = tls.connect({ port, host, ca, servername: 'localhost' });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  return streamClient(socket, credentials);
}
