import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitLinks } from './chat-links.js';

test('plain text and HTML stay one text part', () => {
  assert.deepEqual(splitLinks('<img src=x onerror=alert(1)>'), [{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
});

test('http and https URLs become links; sentence punctuation stays outside', () => {
  assert.deepEqual(splitLinks('see https://example.com/a?b=1. and http://x.org, ok'), [
    { kind: 'text', text: 'see ' },
    { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
    { kind: 'text', text: '. and ' },
    { kind: 'link', text: 'http://x.org', href: 'http://x.org/' },
    { kind: 'text', text: ', ok' },
  ]);
});

test('a balanced closing parenthesis belongs to the URL, an unbalanced one does not', () => {
  assert.deepEqual(
    splitLinks('(https://en.wikipedia.org/wiki/Foo_(bar))').map((p) => p.text),
    ['(', 'https://en.wikipedia.org/wiki/Foo_(bar)', ')'],
  );
});

test('full-width punctuation ends a link', () => {
  assert.deepEqual(
    splitLinks('看这个https://example.com，好吗').map((p) => p.kind),
    ['text', 'link', 'text'],
  );
});

test('other schemes are never links', () => {
  for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://example.com', 'JAVASCRIPT://x%0aalert(1)']) {
    assert.deepEqual(splitLinks(text), [{ kind: 'text', text }], text);
  }
});

test('the parts always join back to the text', () => {
  for (const text of ['a https:// b', 'https://[::1', 'x https://a.b/c) y', '', 'http://ok.example/😀 z']) {
    assert.equal(
      splitLinks(text)
        .map((p) => p.text)
        .join(''),
      text,
    );
  }
});
