import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resetLanguageForTests } from '../i18n/index.js';
import { formatElapsed, formatSize } from './recording-units.js';

test('elapsed time reads as minutes and seconds, with hours once past one', () => {
  resetLanguageForTests('en');
  assert.equal(formatElapsed(0), '0:00');
  assert.equal(formatElapsed(7_900), '0:07');
  assert.equal(formatElapsed(754_000), '12:34');
  assert.equal(formatElapsed(3_723_000), '1:02:03');
});

test('sizes use decimal units in the current language', () => {
  resetLanguageForTests('en');
  assert.equal(formatSize(0), '0 kB');
  assert.equal(formatSize(512_000), '512 kB');
  assert.equal(formatSize(3_420_000), '3.4 MB');
  assert.equal(formatSize(1_230_000_000), '1.23 GB');
  resetLanguageForTests('zh-CN');
  assert.match(formatSize(3_420_000), /^3\.4\s?MB$/);
  resetLanguageForTests('en');
});
