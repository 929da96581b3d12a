import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathnameOf, searchParamsOf } from './pathname.js';
import { prng } from './prng.js';
import { fuzzSeed } from './fuzz-seed.js';

const viaUrl = (url: string | undefined): string | undefined => {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
};

describe('pathnameOf', () => {
  it('reads what new URL() reads, plain or not', () => {
    const targets = [
      undefined,
      '/',
      '/ws',
      '/ws?x=1',
      '/peerjs/peerjs?key=peerjs&id=a&token=b',
      '/ws/',
      '//ws',
      '/a/../ws',
      '/./ws',
      '/w%73',
      '/ws#x',
      '/ws#x?y',
      '/w s',
      '/w"s',
      '/wé',
      '/w\\s',
      '/w{s}',
      "/w'(s)*",
      'ws',
      '',
      '?x',
      'http://other.example/ws?x',
      '//host:99999/x',
    ];
    for (const target of targets) {
      assert.equal(pathnameOf(target), viaUrl(target), String(target));
    }
  });

  it('agrees with new URL() on random targets', () => {
    const random = prng(fuzzSeed(20261130, process.env['FUZZ_SEED']));
    const alphabet = '/?#%.\\ azAZ09-_~!$&\'()*+,;=:@"<>{}`é\t';
    for (let n = 0; n < 5_000; n++) {
      const length = Math.floor(random() * 12);
      let target = random() < 0.9 ? '/' : '';
      for (let i = 0; i < length; i++) {
        target += alphabet[Math.floor(random() * alphabet.length)];
      }
      assert.equal(pathnameOf(target), viaUrl(target), JSON.stringify(target));
    }
  });
});

describe('searchParamsOf', () => {
  const viaUrl = (url: string): string[][] | undefined => {
    try {
      return [...new URL(url, 'http://localhost').searchParams];
    } catch {
      return undefined;
    }
  };

  it('reads the query new URL() reads, wherever the URL parses', () => {
    const random = prng(fuzzSeed(20261130, process.env['FUZZ_SEED']));
    const alphabet = '/?#%=&+.\\ azAZ09-_~!$\'()*,;:@"<>{}`é\t';
    const targets = [
      '/peerjs/peerjs?key=peerjs&id=a b&token=t%20x&version=1.5.5',
      '/a#b?c',
      '/a?b#c&d',
      '/a',
      '/a?',
      '/a?&&=&x=1=2',
    ];
    for (let n = 0; n < 5_000; n++) {
      let target = '/';
      const length = Math.floor(random() * 16);
      for (let i = 0; i < length; i++) {
        target += alphabet[Math.floor(random() * alphabet.length)];
      }
      targets.push(target);
    }
    for (const target of targets) {
      const reference = viaUrl(target);
      if (reference !== undefined) {
        assert.deepEqual([...searchParamsOf(target)], reference, JSON.stringify(target));
      }
    }
    assert.deepEqual([...searchParamsOf(undefined)], []);
  });
});
