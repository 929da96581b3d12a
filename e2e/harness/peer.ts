import type { Page } from 'puppeteer-core';
import type { LaunchedBrowser } from './browsers.js';

export interface JoinOptions {
  video?: boolean;
  audio?: boolean;
  /** Key under window.t where the Room is kept (several rooms per page are possible). */
  key?: string;
  /** Passed to Room.join (for example a relay-only policy with one TURN server). */
  rtcConfig?: RTCConfiguration;
  useServerIceServers?: boolean;
  /** The mode to create the room in (`sfu`: through the server's SFU). */
  mode?: 'mesh' | 'sfu';
}

/** Opens a page with the SDK loaded as window.Rendezvous and probes as window.probe. */
export async function openPeerPage(browser: LaunchedBrowser, pageUrl: string): Promise<Page> {
  const page = await browser.browser.newPage();
  page.on('pageerror', (error) => console.error(`[${browser.name} page error]`, error));
  await page.goto(pageUrl);
  await page.waitForFunction(() => window.Rendezvous !== undefined, { polling: 100, timeout: 10_000 });
  return page;
}

/** Opens camera and microphone (fake devices) and joins `room`; resolves with the peer id. */
export async function joinRoom(
  page: Page,
  wsUrl: string,
  room: string,
  displayName: string,
  options: JoinOptions = {},
): Promise<string> {
  return page.evaluate(
    async (wsUrl, room, displayName, video, audio, key, rtcConfig, useServerIceServers, mode) => {
      const { LocalMedia, Room } = window.Rendezvous;
      const media =
        video || audio
          ? await LocalMedia.open({ audio, video: video ? { width: 320, height: 240, frameRate: 15 } : false })
          : null;
      const joined = await Room.join(wsUrl, room, {
        displayName,
        media,
        ...(rtcConfig === null ? {} : { rtcConfig }),
        ...(useServerIceServers === null ? {} : { useServerIceServers }),
        ...(mode === null ? {} : { mode }),
      });
      window.t[key] = joined;
      return joined.peerId;
    },
    wsUrl,
    room,
    displayName,
    options.video ?? true,
    options.audio ?? true,
    options.key ?? 'room',
    options.rtcConfig ?? null,
    options.useServerIceServers ?? null,
    options.mode ?? null,
  );
}

/** Waits until decoded video frames (and received audio) rise from `expectedPeers` remote peers. */
export async function waitMediaFlowing(
  page: Page,
  expectedPeers: number,
  options: { timeout?: number; audio?: boolean; key?: string } = {},
): Promise<void> {
  await page.waitForFunction(
    (expected, audio, key) => window.probe.mediaFlowing(window.t[key] as never, expected, 1000, audio),
    { polling: 250, timeout: options.timeout ?? 30_000 },
    expectedPeers,
    options.audio ?? true,
    options.key ?? 'room',
  );
}

/** Connections still open and local tracks still live in the page. */
export function leftovers(page: Page): Promise<{ openConnections: number; liveTracks: number }> {
  return page.evaluate(() => window.probe.leftovers());
}

/** Peer ids the page's room currently lists. */
export function roomPeerIds(page: Page, key = 'room'): Promise<string[]> {
  return page.evaluate((key) => [...(window.t[key] as { peers: Map<string, unknown> }).peers.keys()].sort(), key);
}

/** Waits until window.probe.record(name, …) has recorded `count` entries; resolves with them (at, entry). */
export function recordedEvents<T>(
  page: Page,
  name: string,
  count = 1,
  timeout = 15_000,
): Promise<Array<{ at: number; entry: T }>> {
  return page
    .waitForFunction(
      (name, count) => {
        const events = (window.t['events'] as Record<string, Array<{ at: number; entry: unknown }>> | undefined)?.[name];
        return events !== undefined && events.length >= count ? events : false;
      },
      { polling: 100, timeout },
      name,
      count,
    )
    .then((handle) => handle.jsonValue() as Promise<Array<{ at: number; entry: T }>>);
}

/** The first entry recorded under `name`. */
export async function recorded<T = unknown>(page: Page, name: string): Promise<T> {
  const [first] = await recordedEvents<T>(page, name);
  return first!.entry;
}
