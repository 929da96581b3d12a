import { launchBrowser } from '../harness/browsers.js';
import { startPageServer } from '../harness/page-server.js';
import { openPeerPage } from '../harness/peer.js';

const pages = await startPageServer();
for (const args of [[], ['--use-fake-device-for-media-stream=device-count=2'], ['--use-fake-device-for-media-stream=device-count=3']]) {
  const b = await launchBrowser('chromium', args);
  const page = await openPeerPage(b, pages.url);
  const out = await page.evaluate(async () => {
    const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const list = await navigator.mediaDevices.enumerateDevices();
    const settings = s.getTracks().map((t) => t.getSettings());
    s.getTracks().forEach((t) => t.stop());
    return { list: list.map((d) => `${d.kind}|${d.deviceId.slice(0, 12)}|${d.label}|${d.groupId.slice(0,8)}`), settings };
  });
  console.log(JSON.stringify(args), JSON.stringify(out, null, 1));
  await b.close();
}
const f = await launchBrowser('firefox');
const page = await openPeerPage(f, pages.url);
console.log(await page.evaluate(async () => {
  const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const list = await navigator.mediaDevices.enumerateDevices();
  s.getTracks().forEach((t) => t.stop());
  let err = '';
  try { await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: 'no-such-device' } } }); } catch (e) { err = `${(e as Error).name} ${(e as {constraint?: string}).constraint} ${(e as Error).message}`; }
  return JSON.stringify({ list: list.map((d) => `${d.kind}|${d.deviceId.slice(0, 12)}|${d.label}`), err });
}));
await f.close();
await pages.close();
