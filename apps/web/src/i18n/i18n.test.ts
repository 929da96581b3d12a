import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { RendezvousError } from '@rendezvous/protocol';
import { describeError, roomFullTitle } from '../errors-text.js';
import { en } from './en.js';
import {
  detectLanguage,
  getLanguage,
  interpolate,
  matchLanguage,
  onLanguageChange,
  resetLanguageForTests,
  setLanguage,
  t,
  tNodes,
} from './index.js';
import { zhCN } from './zh-CN.js';

afterEach(() => resetLanguageForTests('en'));

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
const forms = (message: string | Record<string, string>): string[] =>
  typeof message === 'string' ? [message] : Object.values(message);

test('the browser language picks the app language: Simplified Chinese tags to zh-CN, the rest to English', () => {
  for (const tag of ['zh', 'zh-CN', 'zh-Hans', 'zh-SG', 'zh-Hans-HK', 'ZH_cn']) {
    assert.equal(matchLanguage(tag), 'zh-CN', tag);
  }
  for (const tag of ['zh-TW', 'zh-HK', 'zh-Hant', 'fr', 'ja-JP']) {
    assert.equal(matchLanguage(tag), null, tag);
  }
  assert.equal(detectLanguage(['zh-CN', 'en-US']), 'zh-CN');
  assert.equal(detectLanguage(['en-GB', 'zh-CN']), 'en');
  assert.equal(detectLanguage(['zh-TW', 'fr', 'zh']), 'zh-CN', 'the first preference we speak wins');
  assert.equal(detectLanguage(['de-DE', 'fr']), 'en', 'English when none is spoken');
  assert.equal(detectLanguage([]), 'en');
});

test('zh-CN has every English key, no others, and the same placeholders in every form', () => {
  assert.deepEqual(Object.keys(zhCN).sort(), Object.keys(en).sort());
  for (const [key, message] of Object.entries(en) as [keyof typeof en, string | Record<string, string>][]) {
    const zh = zhCN[key];
    assert.equal(typeof zh, typeof message, `${key}: same shape`);
    const wanted = placeholders(forms(message).at(-1) ?? '');
    for (const form of forms(zh)) {
      assert.ok(form.trim() !== '', `${key}: not empty`);
      assert.deepEqual(placeholders(form), wanted, `${key}: placeholders of "${form}"`);
    }
  }
});

test('Chinese messages are Chinese: each zh-CN text differs from English or is a brand or technical token', () => {
  for (const key of Object.keys(en) as (keyof typeof en)[]) {
    for (const form of forms(zhCN[key])) {
      const words = form.replace(/\{\w+\}/g, '').replace(/\b(Rendezvous|STUN|TURN|UDP|TCP|TLS|srflx)\b/g, '');
      if (!/[\u4e00-\u9fff]/.test(form) && /[A-Za-z]/.test(words)) {
        assert.fail(`${key} has no Chinese: "${form}"`);
      }
    }
  }
});

test('t interpolates parameters and picks English plural forms by count', () => {
  assert.equal(t('call.joined', { name: 'Ada' }), 'Ada joined');
  assert.equal(t('call.people', { count: 1 }), '1 person');
  assert.equal(t('call.people', { count: 3 }), '3 people');
  assert.equal(t('netcheck.hiddenLocal', { count: 1 }), '1 local address, hidden by the browser (mDNS)');
  assert.equal(t('room.fullTitleCounts', { size: 6, capacity: 6 }), 'This room is full (6 of 6)');
  assert.equal(interpolate('{a} and {b}', { a: 'x' }), 'x and {b}', 'an unknown placeholder stays');
  assert.equal(interpolate('{n}', { n: 12345 }), '12,345', 'numbers are formatted for the language');
});

test('switching to zh-CN changes every text, tells listeners, and falls back per message shape', () => {
  const told: string[] = [];
  onLanguageChange((language) => told.push(`${language}: ${t('call.onlyYou')}`));
  setLanguage('zh-CN');
  setLanguage('zh-CN'); // no change, no call
  assert.deepEqual(told, ['zh-CN: 目前只有你']);
  assert.equal(getLanguage(), 'zh-CN');
  assert.equal(t('call.people', { count: 1 }), '1 人', 'Chinese has one plural form');
  assert.equal(t('call.joined', { name: 'Ada' }), 'Ada 加入了');
  assert.equal(t('tile.you', { name: '李雷' }), '李雷（你）');
  assert.deepEqual(
    tNodes('oneone.aboutToCall', { id: { nodeName: 'CODE' } as unknown as Node }).map((part) =>
      typeof part === 'string' ? part : part.nodeName,
    ),
    ['你将呼叫 ', 'CODE', '。'],
  );
});

test('error texts follow the language; codes without app text name the code outside English', () => {
  assert.equal(describeError(new RendezvousError('ROOM_FULL')).title, 'This room is full');
  assert.equal(
    roomFullTitle(new RendezvousError('ROOM_FULL', 'x', { detail: { size: 2, capacity: 2 } })),
    'This room is full (2 of 2)',
  );
  setLanguage('zh-CN');
  assert.equal(describeError(new RendezvousError('ROOM_FULL')).title, '房间已满');
  assert.equal(roomFullTitle(new RendezvousError('ROOM_FULL', 'x', { detail: { size: 2, capacity: 2 } })), '房间已满（2/2）');
  assert.equal(describeError(new RendezvousError('DATA_TOO_LARGE', 'too big')).title, '出错了（DATA_TOO_LARGE）');
  assert.equal(describeError('nope').title, '出错了');
});
