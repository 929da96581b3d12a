/**
 * Drives the Peer API test page (peer-entry.ts, served by peer-pages.ts) from the tests: an SDK `Peer` or the
 * unmodified peerjs client in a page, data round trips, calls, and checks that video frames are decoded.
 * Everything a page keeps between evaluate calls lives in window.t (the Scratch type).
 */
import type { Browser, Page } from 'puppeteer-core';
import type { DataConnection as PjsData, MediaConnection as PjsMedia, Peer as PjsPeer, PeerOptions as PjsOptions } from 'peerjs';
import type { DataConnection, MediaConnection, Peer } from '../../packages/client/src/peer/index.js';

/** What the pages hold between evaluate calls (window.t). */
export interface Scratch {
  peer: Peer;
  pjs: PjsPeer;
  stream: MediaStream;
  call: MediaConnection;
  pjsCall: PjsMedia;
  /** The SDK data connection the page opened last (sdkRoundTrip). */
  conn: DataConnection;
  closed: string[];
  /** `<what>:<type>` for each error an SDK connection emitted. */
  errors: string[];
}
interface PjsWindow {
  Peer: new (id: string | undefined, options: PjsOptions) => PjsPeer;
}

/** The Rendezvous server the pages talk to. */
export interface Target {
  origin: string;
  port: number;
}

export async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('[peer-api page error]', error));
  await page.goto(url);
  await page.waitForFunction(() => 'RendezvousPeer' in window && 'Peer' in window, { polling: 100, timeout: 10_000 });
  return page;
}

/**
 * An SDK Peer in `page` (window.t.peer) that echoes data and answers calls with the camera; resolves with its id.
 * `config` is the Peer's RTCConfiguration (without it, the server's ICE servers).
 */
export function sdkPeer(
  page: Page,
  target: Target,
  id: string | null,
  options: { storage?: boolean; config?: RTCConfiguration } = {},
): Promise<string> {
  return page.evaluate(
    async (id, url, storage, config) => {
      const { Peer, camera } = window.RendezvousPeer;
      const t = window.t as unknown as Scratch;
      t.stream = await camera();
      t.closed = [];
      t.errors = [];
      const options = { url, ...(storage ? { storage: sessionStorage } : {}), ...(config === null ? {} : { config }) };
      t.peer = id === null ? new Peer(options) : new Peer(id, options);
      t.peer.on('connection', (conn: DataConnection) => {
        t.conn = conn;
        conn.on('data', (data) => conn.send({ echo: data }));
        conn.on('close', () => t.closed.push(`data:${conn.serialization}`));
      });
      t.peer.on('call', (call: MediaConnection) => {
        t.call = call;
        call.on('close', () => t.closed.push('call'));
        call.on('error', (error) => t.errors.push(`call:${error.type}`));
        call.answer(t.stream);
      });
      return new Promise<string>((resolve, reject) => {
        t.peer.on('open', resolve);
        t.peer.on('error', (error) => reject(new Error(`${error.type} ${error.message}`)));
        setTimeout(() => reject(new Error('no open within 10 s')), 10_000);
      });
    },
    id,
    target.origin,
    options.storage === true,
    options.config ?? null,
  );
}

/** The unmodified peerjs client in `page` (window.t.pjs), echoing data and answering calls with the camera. */
export function peerjsPeer(
  page: Page,
  target: Target,
  id: string,
  config: RTCConfiguration = { iceServers: [] },
): Promise<string> {
  const options: PjsOptions = { host: '127.0.0.1', port: target.port, path: '/peerjs', key: 'peerjs', secure: false, config };
  return page.evaluate(
    async (id, options) => {
      const t = window.t as unknown as Scratch;
      t.stream = await window.RendezvousPeer.camera();
      t.closed = [];
      t.errors = [];
      t.pjs = new (window as unknown as PjsWindow).Peer(id, { ...options, debug: 0 });
      t.pjs.on('connection', (conn: PjsData) => {
        conn.on('data', (data) => void conn.send({ echo: data }));
        conn.on('close', () => t.closed.push(`data:${conn.serialization}`));
      });
      t.pjs.on('call', (call: PjsMedia) => {
        t.pjsCall = call;
        call.on('close', () => t.closed.push('call'));
        call.answer(t.stream);
      });
      return new Promise<string>((resolve, reject) => {
        t.pjs.on('open', resolve);
        t.pjs.on('error', (error) => reject(new Error(error.type)));
        setTimeout(() => reject(new Error('no open within 10 s')), 10_000);
      });
    },
    id,
    options,
  );
}

/**
 * From the SDK Peer in `page`: a data connection to `to` (kept as window.t.conn); sends a small value and a
 * chunked 100 kB one, returns what came back.
 */
export function sdkRoundTrip(
  page: Page,
  to: string,
  serialization: 'json' | 'binary',
): Promise<{ small: unknown; large: boolean }> {
  return page.evaluate(
    (to, serialization) =>
      new Promise<{ small: unknown; large: boolean }>((resolve, reject) => {
        const { pattern, isPattern } = window.RendezvousPeer;
        const t = window.t as unknown as Scratch;
        const conn = t.peer.connect(to, { serialization, metadata: { via: 'sdk' } });
        t.conn = conn;
        const replies: unknown[] = [];
        conn.on('open', () => {
          conn.send({ hello: 'world', n: [1, 2, 3] });
          if (serialization === 'binary') {
            conn.send(pattern(100_000));
          }
        });
        const onData = (data: unknown): void => {
          replies.push((data as { echo: unknown }).echo);
          if (replies.length === (serialization === 'binary' ? 2 : 1)) {
            conn.off('data', onData);
            resolve({ small: replies[0], large: serialization === 'json' || isPattern(replies[1], 100_000) });
          }
        };
        conn.on('data', onData);
        conn.on('close', () => t.closed.push(`data:${conn.serialization}`));
        conn.on('error', (error) => {
          t.errors.push(`data:${error.type}`);
          reject(new Error(`${error.type} ${error.message}`));
        });
        setTimeout(() => reject(new Error('no echo within 15 s')), 15_000);
      }),
    to,
    serialization,
  );
}

/** From `page`: sends `value` on window.t.conn (its other side echoes) and resolves with the echo. */
export function echoOnConnection(page: Page, value: unknown): Promise<unknown> {
  return page.evaluate(
    (value) =>
      new Promise<unknown>((resolve, reject) => {
        const conn = (window.t as unknown as Scratch).conn;
        const onData = (data: unknown): void => {
          conn.off('data', onData);
          resolve((data as { echo: unknown }).echo);
        };
        conn.on('data', onData);
        conn.send(value);
        setTimeout(() => reject(new Error('no echo within 15 s')), 15_000);
      }),
    value,
  );
}

/** From the SDK Peer in `page`: calls `to` with the camera; resolves once the remote stream arrived (window.t.call). */
export function sdkCall(page: Page, to: string): Promise<void> {
  return page.evaluate(
    (to) =>
      new Promise<void>((resolve, reject) => {
        const t = window.t as unknown as Scratch;
        t.call = t.peer.call(to, t.stream, { metadata: { hi: 1 } });
        t.call.on('close', () => t.closed.push('call'));
        t.call.on('stream', () => resolve());
        t.call.on('error', (error) => {
          t.errors.push(`call:${error.type}`);
          reject(new Error(`${error.type} ${error.message}`));
        });
        setTimeout(() => reject(new Error('no remote stream within 15 s')), 15_000);
      }),
    to,
  );
}

/** Waits until the SDK call in `page` decodes more frames than `above`, then checks frames keep rising. */
export async function sdkFramesRising(page: Page, above = 0): Promise<boolean> {
  await page.waitForFunction(
    async (above) => (await window.RendezvousPeer.framesDecoded((window.t as unknown as Scratch).call)) > above,
    { polling: 200, timeout: 20_000 },
    above,
  );
  return page.evaluate(() => window.RendezvousPeer.framesRising((window.t as unknown as Scratch).call));
}

/** Frames the SDK call in `page` decoded so far. */
export function sdkFrames(page: Page): Promise<number> {
  return page.evaluate(() => window.RendezvousPeer.framesDecoded((window.t as unknown as Scratch).call));
}

/** The same for the peerjs client's call in `page`. */
export async function pjsFramesRising(page: Page): Promise<boolean> {
  await page.waitForFunction(
    async () => {
      const pc = (window.t as unknown as Scratch).pjsCall.peerConnection;
      return (await window.RendezvousPeer.framesDecoded({ getStats: () => pc.getStats() })) > 0;
    },
    { polling: 200, timeout: 15_000 },
  );
  return page.evaluate(() => {
    const pc = (window.t as unknown as Scratch).pjsCall.peerConnection;
    return window.RendezvousPeer.framesRising({ getStats: () => pc.getStats() });
  });
}

export async function waitClosed(page: Page, what: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction((what) => (window.t as unknown as Scratch).closed.includes(what), { polling: 100, timeout }, what);
}
