import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { trustTestCa } from './test-ca.js';

export type BrowserName = 'chromium' | 'firefox';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr';

/** Chromium flags: fake devices, loopback ICE, and no background traffic on the closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--allow-loopback-in-peer-connection',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** Firefox prefs: fake devices without prompts, loopback candidates allowed, host addresses shown. */
export const FIREFOX_PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.loopback': true,
  'media.autoplay.default': 0,
  // A Firefox that has not been granted a camera hides its host addresses behind mDNS names, and then pairs none of
  // them with a server candidate on 127.0.0.1 (the SFU's in tests): show them, as after a camera grant.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
};

export interface LaunchedBrowser {
  name: BrowserName;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches Debian's Chromium or Firefox ESR through puppeteer-core with a throwaway profile. With
 * `trustCa` (a PEM file), the browser's own certificate store trusts that CA: Firefox keeps it in the
 * profile, Chromium in $HOME/.pki/nssdb, so Chromium gets a throwaway HOME too.
 */
export async function launchBrowser(
  name: BrowserName,
  extraArgs: string[] = [],
  options: { trustCa?: string } = {},
): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), `rendezvous-${name}-`));
  if (options.trustCa !== undefined) {
    trustTestCa(name === 'chromium' ? join(profile, 'home', '.pki', 'nssdb') : profile, options.trustCa);
  }
  const browser =
    name === 'chromium'
      ? await puppeteer.launch({
          executablePath: CHROMIUM_PATH,
          headless: true,
          userDataDir: join(profile, 'data'),
          args: [...CHROMIUM_ARGS, ...extraArgs],
          ...(options.trustCa === undefined ? {} : { env: { ...process.env, HOME: join(profile, 'home') } }),
        })
      : await puppeteer.launch({
          browser: 'firefox',
          executablePath: FIREFOX_PATH,
          headless: true,
          userDataDir: profile,
          extraPrefsFirefox: FIREFOX_PREFS,
          args: extraArgs,
        });
  let closed = false;
  return {
    name,
    browser,
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
