import { after, before } from 'node:test';
import type { Config } from '@rendezvous/server';
import { launchBrowser, type BrowserName, type LaunchedBrowser } from './browsers.js';
import { startPageServer, type PageServer } from './page-server.js';
import { startTestServer, type SfuTestHooks } from './server.js';
import { testCa } from './test-ca.js';

export interface Fixture {
  server: Awaited<ReturnType<typeof startTestServer>>;
  pages: PageServer;
  browsers: Record<BrowserName, LaunchedBrowser | undefined>;
}

/**
 * Starts a real server, the SDK page server and the named browsers before the file's tests, and stops
 * all of them after. Returns an object filled in by `before`.
 */
export function useFixture(
  browsers: BrowserName[],
  serverOverrides: Partial<Config> = {},
  options: { tls?: boolean; sfu?: SfuTestHooks } = {},
): Fixture {
  const fixture = { browsers: { chromium: undefined, firefox: undefined } } as Fixture;
  before(async () => {
    // With `tls`, the server's certificate comes from a CA made for this run, and every browser trusts it.
    const ca = options.tls === true ? await testCa() : undefined;
    const tlsOverrides = ca === undefined ? {} : { cert: ca.certPath, key: ca.keyPath };
    fixture.server = await startTestServer({ ...tlsOverrides, ...serverOverrides }, options.sfu);
    fixture.pages = await startPageServer();
    for (const name of browsers) {
      fixture.browsers[name] = await launchBrowser(name, [], ca === undefined ? {} : { trustCa: ca.caPath });
    }
  });
  after(async () => {
    for (const b of Object.values(fixture.browsers)) {
      await b?.close();
    }
    await fixture.pages?.close();
    await fixture.server?.close();
    exitIfHeldNatively();
  });
  return fixture;
}

export function browserOf(fixture: Fixture, name: BrowserName): LaunchedBrowser {
  const b = fixture.browsers[name];
  if (b === undefined) {
    throw new Error(`${name} was not launched for this file`);
  }
  return b;
}

/**
 * After the server closed, every SFU connection has reported itself closed and the file's results are written, yet
 * libdatachannel's native side now and then keeps the process alive (no JS handle is left; calling its cleanup()
 * here crashes instead). An unreferenced timer fires only if something else holds the process: then it ends the
 * process with the exit code the test runner set, instead of letting the file hang until the watchdog.
 */
function exitIfHeldNatively(): void {
  setTimeout(() => {
    console.error('the process was still held after teardown (libdatachannel threads); exiting');
    process.exit();
  }, 5_000).unref();
}
