import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, launchBrowser } from '../harness/browsers.js';
import { startPageServer } from '../harness/page-server.js';
import { openPeerPage } from '../harness/peer.js';

const pages = await startPageServer();
const port = new URL(pages.url).port;
const b = await launchBrowser('chromium', ['--use-fake-device-for-media-stream=device-count=2']);
const page = await openPeerPage(b, pages.url);
console.log(await page.evaluate(async () => {
  const before = (await navigator.mediaDevices.enumerateDevices()).map((d) => `${d.kind}|${d.deviceId.slice(0, 8)}|${d.label}`);
  const perm = await navigator.permissions.query({ name: 'camera' as PermissionName }).then((p) => p.state, (e) => String(e));
  const { LocalMedia } = window.Rendezvous;
  const m = await LocalMedia.open({ video: { width: 640, height: 360, frameRate: 15, facingMode: 'user' } });
  const t = m.videoTrack!;
  const out: Record<string, unknown> = { before, perm, settings: t.getSettings(), constraints: t.getConstraints(), s: m.settings('video') };
  let err: unknown;
  try { await LocalMedia.open({ video: { deviceId: 'no-such-device' } }); } catch (e) { err = [(e as {code: string}).code, (e as Error).message]; }
  out['err'] = err;
  try { await LocalMedia.open({ audio: { deviceId: 'no-such-device' }, video: true }); } catch (e) { err = [(e as {code: string}).code, (e as Error).message]; }
  out['err2'] = err;
  const a = await LocalMedia.open({ audio: true });
  out['audio'] = a.settings('audio');
  m.stop(); a.stop();
  return JSON.stringify(out, null, 1);
}));
await b.close();

const profile = mkdtempSync(join(tmpdir(), 'rz-deny-'));
const args = [...CHROMIUM_ARGS.filter((a) => a !== '--use-fake-ui-for-media-stream'), '--deny-permission-prompts', '--host-resolver-rules=MAP insecure.test 127.0.0.1'];
const deny = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, userDataDir: profile, args });
const p2 = await deny.newPage();
await p2.goto(pages.url);
console.log(await p2.evaluate(async () => {
  const { LocalMedia } = window.Rendezvous;
  try { await LocalMedia.open({ video: true, audio: true }); return 'opened!'; } catch (e) { return [(e as {code: string}).code, (e as Error).message]; }
}));
const p3 = await deny.newPage();
await p3.goto(`http://insecure.test:${port}/`);
console.log(await p3.evaluate(async () => {
  const { LocalMedia } = window.Rendezvous;
  const info = [isSecureContext, typeof navigator.mediaDevices, location.href];
  try { await LocalMedia.open({ video: true, audio: true }); return 'opened!'; } catch (e) { return [info, (e as {code: string}).code, (e as Error).message]; }
}));
await deny.close();
await pages.close();
