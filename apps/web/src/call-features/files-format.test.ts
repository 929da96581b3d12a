import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resetLanguageForTests } from '../i18n/index.js';
import { formatBytes, formatPercent, formatRate, formatTimeLeft } from './files-format.js';

test('sizes and rates scale by 1000 and keep one decimal under 100', () => {
  resetLanguageForTests('en');
  assert.equal(formatBytes(17), '17B');
  assert.equal(formatBytes(2_500_000), '2.5 MB');
  assert.equal(formatBytes(812_300), '812 kB');
  assert.equal(formatRate(1_234_567), '1.2 MB/s');
});

test('percent never shows 100 before the end; time left rounds up', () => {
  resetLanguageForTests('en');
  assert.equal(formatPercent(99.7), '99%');
  assert.equal(formatPercent(100), '100%');
  assert.equal(formatTimeLeft(7.2), '8 sec');
  assert.equal(formatTimeLeft(121), '3 min');
});

test('the words follow the language', () => {
  resetLanguageForTests('zh-CN');
  assert.match(formatTimeLeft(5), /秒/);
  assert.match(formatTimeLeft(600), /分钟/);
  resetLanguageForTests('en');
});
