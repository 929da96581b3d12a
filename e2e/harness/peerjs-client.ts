import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import type { DataConnection, MediaConnection, Peer, PeerOptions } from 'peerjs';

/** The unmodified peerjs client, as npm ships it for a script tag (it sets window.Peer). */
const CLIENT = new URL('../../node_modules/peerjs/dist/peerjs.min.js', import.meta.url);

/**
 * The page: the client, and plain helpers the tests call from page.evaluate. `log` holds what the test
 * asserts on: `<kind>:<peer>` when a connection closes, `server:<TYPE>:<src>` for each server message.
 */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>peerjs e2e</title></head>
<body><script>
window.__name = (f) => f;
window.log = [];
window.media = [];
window.watch = (conn, kind) => conn.on('close', () => window.log.push(kind + ':' + conn.peer));
window.show = (stream) => {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  document.body.append(video);
  void video.play();
};
window.framesDecoded = async (pc) => {
  let frames = 0;
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0;
  });
  return frames;
};
</script><script src="/peerjs.min.js"></script></body></html>`;

/** What the page above puts on window, as the tests see it. */
export interface PeerWindow {
  Peer: new (id: string | undefined, options: PeerOptions) => Peer;
  peer: Peer;
  stream: MediaStream;
  log: string[];
  media: MediaConnection[];
  watch(conn: DataConnection | MediaConnection, kind: 'data' | 'media'): void;
  show(stream: MediaStream): void;
  framesDecoded(pc: RTCPeerConnection): Promise<number>;
}

/** Serves the page and the client from an origin other than the server's, as a peerjs app usually is. */
export async function startPeerjsPages(): Promise<{ url: string; close(): Promise<void> }> {
  const client = await readFile(CLIENT, 'utf8');
  const pages = createServer((req, res) => {
    const script = req.url === '/peerjs.min.js';
    res.writeHead(200, { 'content-type': script ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8' });
    res.end(script ? client : PAGE);
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(pages.address() as AddressInfo).port}/`,
    close: async () => {
      pages.closeAllConnections();
      await new Promise((resolve) => pages.close(resolve));
    },
  };
}

export async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('[peerjs page error]', error));
  await page.goto(url);
  await page.waitForFunction(() => 'Peer' in window, { polling: 100, timeout: 10_000 });
  return page;
}

/** Creates window.peer (with `id`, or one from the server) and resolves with its id once open, or the error type. */
export function openPeer(
  page: Page,
  id: string | undefined,
  port: number,
  endpoint: { path: string; key: string } = { path: '/peerjs', key: 'peerjs' },
): Promise<{ id?: string; error?: string }> {
  const options: PeerOptions = { host: '127.0.0.1', port, ...endpoint, secure: false };
  return page.evaluate(
    (id, options) =>
      new Promise<{ id?: string; error?: string }>((resolve) => {
        const w = window as unknown as PeerWindow;
        w.peer = new w.Peer(id ?? undefined, { ...options, config: { iceServers: [] }, debug: 0 });
        w.peer.on('open', (opened) => resolve({ id: opened }));
        w.peer.on('error', (error) => resolve({ error: error.type }));
        setTimeout(() => resolve({ error: 'timeout in page' }), 10_000);
      }),
    id ?? null,
    options,
  );
}

/**
 * Makes the page's peer answer: data connections echo what they get, calls are answered with the
 * page's camera. Every close and every server message goes to window.log.
 */
export async function answerEverything(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const w = window as unknown as PeerWindow;
    w.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
    const socket = w.peer.socket as unknown as {
      on(event: 'message', listener: (m: { type: string; src?: string }) => void): void;
    };
    socket.on('message', (message) => w.log.push(`server:${message.type}:${message.src ?? ''}`));
    w.peer.on('connection', (conn) => {
      w.watch(conn, 'data');
      conn.on('data', (data) => void conn.send({ echo: data }));
    });
    w.peer.on('call', (call) => {
      w.watch(call, 'media');
      w.media.push(call);
      call.on('stream', (stream) => w.show(stream));
      call.answer(w.stream);
    });
  });
}

/** Opens a data connection to `dst` (kept open), sends one message and resolves with the echo. */
export function echoThrough(page: Page, dst: string, serialization: 'json' | 'binary'): Promise<unknown> {
  return page.evaluate(
    (dst, serialization) =>
      new Promise<unknown>((resolve, reject) => {
        const w = window as unknown as PeerWindow;
        const conn = w.peer.connect(dst, { serialization, reliable: true });
        w.watch(conn, 'data');
        conn.on('open', () => void conn.send({ hello: 'world', n: [1, 2, 3] }));
        conn.on('data', resolve);
        conn.on('error', (error) => reject(new Error(error.type)));
        setTimeout(() => reject(new Error('no echo within 15 s')), 15_000);
      }),
    dst,
    serialization,
  );
}

/** Calls `dst` with the page's camera (answerEverything must have run in this page). */
export async function callPeer(page: Page, dst: string): Promise<void> {
  await page.evaluate((dst) => {
    const w = window as unknown as PeerWindow;
    const call = w.peer.call(dst, w.stream);
    w.watch(call, 'media');
    w.media.push(call);
    call.on('stream', (stream) => w.show(stream));
  }, dst);
}

/**
 * Video frames decoded on the page's latest call: the first count above zero, and a later, larger one.
 * `later` equals `first` when frames stopped (or never started) within the timeout.
 */
export function decodedFrames(page: Page, timeoutMs = 30_000): Promise<{ first: number; later: number }> {
  return page.evaluate(async (timeoutMs) => {
    const w = window as unknown as PeerWindow;
    const deadline = Date.now() + timeoutMs;
    let first = 0;
    while (Date.now() < deadline) {
      const pc = w.media.at(-1)?.peerConnection;
      const frames = pc === undefined ? 0 : await w.framesDecoded(pc);
      if (first > 0 && frames > first) {
        return { first, later: frames };
      }
      first = first > 0 ? first : frames;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { first, later: first };
  }, timeoutMs);
}

/** Resolves once window.log holds every entry of `expected`; with the whole log. */
export async function logged(page: Page, expected: string[], timeout = 20_000): Promise<string[]> {
  const log = (): Promise<string[]> => page.evaluate(() => [...(window as unknown as PeerWindow).log]);
  await page
    .waitForFunction(
      (expected) => expected.every((entry) => (window as unknown as PeerWindow).log.includes(entry)),
      { polling: 100, timeout },
      expected,
    )
    .catch(async (error: unknown) => {
      throw new Error(`${expected.join(', ')} not all logged within ${timeout} ms; log: ${(await log()).join(', ')}`, {
        cause: error,
      });
    });
  return log();
}
