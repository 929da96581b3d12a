/**
 * Chat and file transfer in the web app's call view, in Chromium, two people in one room: a chat round trip with
 * "Delivered", HTML shown as text, links as safe anchors, the unread badge, Enter / Shift+Enter, a private message;
 * a 2 MB file from the file picker, accepted from the offer prompt, with progress to 100%, "Verified" and a Save
 * link whose bytes hash as sent; then the same panels in zh-CN with no English left, a file sent by drag and drop.
 *
 * Needs the built app (`npm run build -w apps/web`). Screenshots go to /tmp/ui-chat-*.png and /tmp/ui-files-*.png.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ElementHandle, Page } from 'puppeteer-core';
import { byTestId, closeApps, joinFromPrejoin, openApp, type AppPage } from './harness/app.js';
import { useFixture } from './harness/fixture.js';

const fx = useFixture(['chromium']);
const WAIT = { polling: 250, timeout: 20_000 } as const;

/** Two people in a new room, each seeing the other connected. */
async function twoInARoom(room: string, languages?: string[]): Promise<{ alice: AppPage; bob: AppPage; ids: string[] }> {
  const alice = await openApp(fx, `/room/${room}`, { languages });
  const aliceId = await joinFromPrejoin(alice.page, 'Alice');
  const bob = await openApp(fx, `/room/${room}`, { languages });
  const bobId = await joinFromPrejoin(bob.page, 'Bob');
  for (const { page } of [alice, bob]) {
    await page.bringToFront();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="tile-state"]')?.getAttribute('data-state') === 'connected',
      WAIT,
    );
  }
  return { alice, bob, ids: [aliceId, bobId] };
}

/** Dismisses every toast and waits until none is left. */
async function clearToasts(page: Page): Promise<void> {
  await page.$$eval('.toast-close', (buttons) => buttons.forEach((b) => (b as HTMLButtonElement).click()));
  await page.waitForFunction(() => document.querySelector('[data-testid="toast"]') === null, WAIT);
}

/** Types into the chat box and presses Enter; `lines` are joined with Shift+Enter. */
async function sendChat(page: Page, ...lines: string[]): Promise<void> {
  await page.bringToFront();
  await clearToasts(page); // toasts sit over the panel's bottom corner
  await page.click(byTestId('chat-input'));
  for (const [i, line] of lines.entries()) {
    if (i > 0) {
      await page.keyboard.down('Shift');
      await page.keyboard.press('Enter');
      await page.keyboard.up('Shift');
    }
    await page.keyboard.type(line);
  }
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('[data-testid="chat-input"]')?.value === '', WAIT);
}

const badge = (page: Page, id: string): Promise<string | null> =>
  page.$eval(byTestId(id), (el) => ((el as HTMLElement).hidden ? null : el.textContent));

/** Waits until the badge `id` shows `text` (null: hidden). */
async function badgeShows(page: Page, id: string, text: string | null): Promise<void> {
  await page.bringToFront();
  await page.waitForFunction(
    (id, text) => {
      const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
      return el !== null && (text === null ? el.hidden : !el.hidden && el.textContent === text);
    },
    WAIT,
    id,
    text,
  );
  assert.equal(await badge(page, id), text);
}

function chatTexts(page: Page): Promise<string[]> {
  return page.$$eval(`${byTestId('chat-log')} ${byTestId('chat-text')}`, (els) => els.map((el) => el.textContent ?? ''));
}

/** Words of two or more Latin letters visible under `selector` (text, aria-label, title, placeholder). */
function latinWords(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (roots) => {
    const words: string[] = [];
    const add = (text: string | null | undefined, where: string): void => {
      for (const word of (text ?? '').match(/[A-Za-z]{2,}/g) ?? []) {
        words.push(`${word} <${where}>`);
      }
    };
    for (const root of roots) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        if (!((el as HTMLElement).checkVisibility?.() ?? true)) {
          continue;
        }
        const tag = el.tagName.toLowerCase();
        for (const attr of ['aria-label', 'title', 'placeholder']) {
          add(el.getAttribute(attr), `${tag}[${attr}]`);
        }
        for (const node of el.childNodes) {
          if (node.nodeType === Node.TEXT_NODE && tag !== 'option') {
            add(node.textContent, tag);
          } else if (tag === 'option' && (el as HTMLOptionElement).selected) {
            add(el.textContent, 'option');
          }
        }
      }
    }
    return words;
  });
}

function assertNoEnglish(words: string[], allowed: string[], where: string): void {
  const allow = new Set(allowed.map((w) => w.toLowerCase()));
  assert.deepEqual(
    words.filter((w) => !allow.has(w.split(' ')[0]!.toLowerCase())),
    [],
    `English left on ${where}`,
  );
}

async function screenshots(page: Page, name: string): Promise<void> {
  await page.bringToFront();
  await clearToasts(page);
  await page.screenshot({ path: `/tmp/ui-${name}-wide.png` });
  await page.setViewport({ width: 390, height: 844 });
  await page.waitForFunction(() => window.innerWidth === 390, WAIT);
  await page.screenshot({ path: `/tmp/ui-${name}-phone.png` });
  await page.setViewport({ width: 1280, height: 720 });
  await page.waitForFunction(() => window.innerWidth === 1280, WAIT);
}

/**
 * Clicks the Save link and resolves with the SHA-256 (hex) of the file Chromium downloads from it into `dir`
 * (the page's strict CSP keeps it from fetching a blob: URL itself, so the browser's own download is used).
 */
async function downloadedHash(page: Page, link: ElementHandle, dir: string, name: string): Promise<string> {
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, eventsEnabled: true });
  const completed = new Promise<void>((resolve, reject) => {
    cdp.on('Browser.downloadProgress', (event) => {
      if (event.state === 'completed') {
        resolve();
      } else if (event.state === 'canceled') {
        reject(new Error('the download was cancelled'));
      }
    });
  });
  await link.click();
  await completed;
  await cdp.detach();
  return createHash('sha256')
    .update(readFileSync(join(dir, name)))
    .digest('hex');
}

test('chat: delivered, HTML as text, safe links, the unread badge, Shift+Enter and a private message', async () => {
  const { alice, bob, ids } = await twoInARoom('chat-round-trip');
  await alice.page.bringToFront();
  await alice.page.click(byTestId('control-chat'));
  await alice.page.waitForSelector(`${byTestId('call-panel')}[data-panel="chat"] ${byTestId('chat-input')}`, WAIT);
  assert.equal(
    await alice.page.$eval(byTestId('chat-log'), (el) => [el.getAttribute('role'), el.getAttribute('aria-live')].join()),
    'log,polite',
  );

  await sendChat(alice.page, 'hello Bob');
  await alice.page.waitForSelector(
    `${byTestId('chat-message')}[data-own] ${byTestId('chat-status')}[data-state="delivered"]`,
    WAIT,
  );
  assert.equal(await alice.page.$eval(byTestId('chat-status'), (el) => el.textContent), 'Delivered');
  assert.equal(await alice.page.$eval(byTestId('chat-from'), (el) => el.textContent), 'You');
  await badgeShows(bob.page, 'chat-unread', '1');

  await sendChat(alice.page, '<img src=x onerror=alert(1)>');
  await sendChat(alice.page, 'docs at https://example.com/guide?x=1. thanks');
  await badgeShows(bob.page, 'chat-unread', '3');
  assert.match(
    (await bob.page.$eval(byTestId('control-chat'), (el) => el.getAttribute('aria-label'))) ?? '',
    /3 unread messages/,
  );

  await bob.page.click(byTestId('control-chat'));
  await bob.page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-message"]').length === 3, WAIT);
  await badgeShows(bob.page, 'chat-unread', null);
  assert.deepEqual(await chatTexts(bob.page), [
    'hello Bob',
    '<img src=x onerror=alert(1)>',
    'docs at https://example.com/guide?x=1. thanks',
  ]);
  assert.equal(await bob.page.$$eval(`${byTestId('call-panel')} img`, (els) => els.length), 0, 'no <img> made from a message');
  const link = await bob.page.$eval(`${byTestId('chat-log')} a`, (a) => ({
    href: a.getAttribute('href'),
    text: a.textContent,
    rel: a.getAttribute('rel'),
    target: a.getAttribute('target'),
  }));
  assert.deepEqual(link, {
    href: 'https://example.com/guide?x=1',
    text: 'https://example.com/guide?x=1',
    rel: 'noopener noreferrer',
    target: '_blank',
  });
  assert.equal(await bob.page.$eval(byTestId('chat-from'), (el) => el.textContent), 'Alice');

  // Bob answers Alice only, on two lines: Alice's open panel shows it marked private and clears no badge.
  await bob.page.select(byTestId('chat-recipient'), ids[0]!);
  await sendChat(bob.page, 'just for you', 'second line');
  await bob.page.waitForSelector(
    `${byTestId('chat-message')}[data-own] ${byTestId('chat-status')}[data-state="delivered"]`,
    WAIT,
  );
  assert.equal(
    await bob.page.$eval(`${byTestId('chat-message')}[data-own] ${byTestId('chat-private')}`, (el) => el.textContent),
    'to Alice',
  );
  await alice.page.bringToFront();
  await alice.page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-message"]').length === 4, WAIT);
  const last = await alice.page.$eval(`${byTestId('chat-message')}:last-child`, (el) => ({
    text: el.querySelector('[data-testid="chat-text"]')?.textContent,
    marker: el.querySelector('[data-testid="chat-private"]')?.textContent,
  }));
  assert.deepEqual(last, { text: 'just for you\nsecond line', marker: 'only to you' });
  assert.equal(await badge(alice.page, 'chat-unread'), null, 'no unread count while the panel is open');
  await screenshots(bob.page, 'chat-en');
  await closeApps(alice, bob);
});

test('files: a 2 MB file from the picker, accepted from the prompt, arrives verified with the same SHA-256', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rdv-files-'));
  const bytes = randomBytes(2 * 1024 * 1024);
  const path = join(dir, 'report-2mb.bin');
  writeFileSync(path, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const { alice, bob } = await twoInARoom('files-round-trip');
  try {
    await alice.page.bringToFront();
    await alice.page.click(byTestId('control-files'));
    const input = (await alice.page.waitForSelector(byTestId('files-input'), WAIT)) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(path);
    await alice.page.waitForSelector(`${byTestId('file-row')}[data-direction="out"]`, WAIT);

    // Bob's panel is closed: a prompt and a badge. He accepts from the prompt.
    await badgeShows(bob.page, 'files-pending', '1');
    const offer = await bob.page.waitForSelector(byTestId('file-offer'), WAIT);
    assert.match((await offer!.evaluate((el) => el.textContent)) ?? '', /Alice wants to send you report-2mb\.bin \(2\.1 MB\)/);
    await bob.page.waitForFunction(
      () => document.querySelector('[data-testid="file-offer"]')?.getAnimations().length === 0,
      WAIT,
    );
    await bob.page.screenshot({ path: '/tmp/ui-files-en-offer.png' });
    await bob.page.click(byTestId('file-offer-accept'));
    await badgeShows(bob.page, 'files-pending', null);
    await bob.page.click(byTestId('control-files'));
    const row = `${byTestId('file-row')}[data-direction="in"]`;
    await bob.page.waitForSelector(`${row} ${byTestId('file-leg')}[data-state="done"]`, WAIT);
    assert.equal(await bob.page.$eval(`${row} ${byTestId('file-progress')}`, (el) => el.getAttribute('data-percent')), '100');
    assert.equal(await bob.page.$eval(`${row} ${byTestId('file-verified')}`, (el) => el.checkVisibility()), true);
    assert.equal(await bob.page.$eval(`${row} ${byTestId('file-direction')}`, (el) => el.textContent), 'From Alice');
    const save = (await bob.page.$(`${row} ${byTestId('file-save')}`))!;
    assert.equal(await save.evaluate((a) => a.getAttribute('download')), 'report-2mb.bin');
    assert.match((await save.evaluate((a) => a.getAttribute('href'))) ?? '', /^blob:/);
    const downloads = join(dir, 'downloads');
    mkdirSync(downloads);
    assert.equal(await downloadedHash(bob.page, save, downloads, 'report-2mb.bin'), sha256, 'the saved bytes hash as sent');

    await alice.page.bringToFront();
    await alice.page.waitForSelector(
      `${byTestId('file-leg')}[data-state="done"] ${byTestId('file-verified')}:not([hidden])`,
      WAIT,
    );
    assert.equal(await alice.page.$eval(byTestId('file-direction'), (el) => el.textContent), 'To everyone');
    await screenshots(bob.page, 'files-en');
    await closeApps(alice, bob);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Drags a file made in the page over the call view (the overlay must show), then drops it. */
async function dropFile(page: Page, name: string, size: number): Promise<void> {
  await page.bringToFront();
  await page.evaluate(
    (name, size) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(size).fill(7)], name, { type: 'application/pdf' }));
      const view = document.querySelector('[data-testid="call-view"]')!;
      view.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      view.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      (window as unknown as { __drop: () => void }).__drop = () =>
        view.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    },
    name,
    size,
  );
  await page.waitForSelector(`${byTestId('files-drop')}:not([hidden])`, WAIT);
  assert.equal(await page.$eval(byTestId('files-drop'), (el) => el.textContent), '松开即可发送给所有人');
  await page.evaluate(() => (window as unknown as { __drop: () => void }).__drop());
  await page.waitForSelector(`${byTestId('files-drop')}[hidden]`, WAIT);
}

test('in zh-CN the chat and files panels, the prompt and the buttons have no English; a dropped file arrives', async () => {
  const { alice, bob } = await twoInARoom('chat-files-zh', ['zh-CN', 'zh']);
  const allowed = ['Alice', 'Bob', 'kB', 'MB', 'SHA', 'pdf'];
  await alice.page.bringToFront();
  await alice.page.click(byTestId('control-chat'));
  await alice.page.waitForSelector(byTestId('chat-input'), WAIT);
  await sendChat(alice.page, '你好，看看 https://example.com');
  await alice.page.waitForSelector(`${byTestId('chat-status')}[data-state="delivered"]`, WAIT);
  await badgeShows(bob.page, 'chat-unread', '1');
  assertNoEnglish(await latinWords(bob.page, `${byTestId('control-chat')}, ${byTestId('control-files')}`), [], 'the buttons');
  await bob.page.click(byTestId('control-chat'));
  await bob.page.waitForSelector(byTestId('chat-message'), WAIT);
  assertNoEnglish(await latinWords(bob.page, byTestId('call-panel')), [...allowed, 'https', 'example', 'com'], 'the chat panel');
  assert.equal(await bob.page.$eval(byTestId('chat-from'), (el) => el.textContent), 'Alice');
  await screenshots(bob.page, 'chat-zh');

  await alice.page.bringToFront();
  await alice.page.click(byTestId('control-files'));
  await alice.page.waitForSelector(byTestId('files-panel'), WAIT);
  assertNoEnglish(await latinWords(alice.page, byTestId('call-panel')), allowed, 'the files panel');
  await dropFile(alice.page, '季度报告.pdf', 300_000);
  await alice.page.waitForSelector(`${byTestId('file-row')}[data-direction="out"]`, WAIT);

  await bob.page.bringToFront();
  const offer = await bob.page.waitForSelector(byTestId('file-offer'), WAIT);
  assert.equal(
    await offer!.evaluate((el) => el.querySelector('.toast-message')?.textContent),
    'Alice想发给你季度报告.pdf（300 kB）',
  );
  assertNoEnglish(await latinWords(bob.page, byTestId('file-offer')), allowed, 'the offer prompt');
  await bob.page.click(byTestId('control-files'));
  await bob.page.click(byTestId('file-accept'));
  await bob.page.waitForSelector(`${byTestId('file-leg')}[data-state="done"]`, WAIT);
  await bob.page.waitForSelector(byTestId('file-save'), WAIT);
  assert.equal(await bob.page.$(byTestId('file-offer')), null, 'the prompt went away once answered');
  assertNoEnglish(await latinWords(bob.page, byTestId('call-panel')), allowed, 'the files panel with a received file');
  await screenshots(bob.page, 'files-zh');
  await closeApps(alice, bob);
});
