import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import { test } from 'node:test';
import { MessageBuilder } from './builder.js';
import { crc32 } from './crc32.js';
import { verifyFingerprint, verifyMessageIntegrity, verifyMessageIntegritySha256 } from './integrity.js';
import { PasswordAlgorithm, longTermKey, shortTermKey, userHash } from './keys.js';
import { StunClass, StunMethod } from './message-type.js';
import { decodeMessage } from './message.js';
import { saslprep } from './saslprep.js';
import { addRealm, addSoftware, addUsername } from './text-attributes.js';

const key = longTermKey('1735689600:ada', 'rendezvous', 'q8Vx/secret=');

function signed(): Buffer {
  const b = new MessageBuilder(StunMethod.Allocate, StunClass.Request);
  addUsername(b, '1735689600:ada');
  addRealm(b, 'rendezvous');
  b.addMessageIntegrity(key);
  b.addMessageIntegritySha256(key);
  return b.addFingerprint().build();
}

test('CRC-32 matches the standard check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.alloc(0)), 0);
  assert.equal(crc32(Buffer.from('xx123456789yy'), 2, 11), 0xcbf43926);
});

test('MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT verify, and any flipped bit breaks them', () => {
  const bytes = signed();
  const before = Buffer.from(bytes);
  const msg = decodeMessage(bytes);
  assert.equal(verifyMessageIntegrity(msg, key), true);
  assert.equal(verifyMessageIntegritySha256(msg, key), true);
  assert.equal(verifyFingerprint(msg), true);
  assert.equal(verifyMessageIntegrity(msg, createSecretKey(key)), true, 'a KeyObject works too');
  assert.equal(verifyMessageIntegrity(msg, Buffer.from(key).fill(0, 0, 1)), false);
  assert.deepEqual(bytes, before, 'verification leaves the bytes as they were');

  const integrityEnd = msg.integrityOffset + 24;
  const sha256End = msg.integritySha256Offset + 36;
  for (let i = 0; i < bytes.length * 8; i++) {
    const copy = Buffer.from(bytes);
    copy[i >> 3]! ^= 1 << (i & 7);
    let tampered;
    try {
      tampered = decodeMessage(copy);
    } catch {
      continue; // the header or the structure broke: not a message at all
    }
    const byte = i >> 3;
    if (byte < integrityEnd && byte !== 2 && byte !== 3) {
      assert.equal(verifyMessageIntegrity(tampered, key), false, `bit ${i}`);
    }
    if (byte < sha256End && byte !== 2 && byte !== 3) {
      assert.equal(verifyMessageIntegritySha256(tampered, key), false, `bit ${i}`);
    }
    assert.equal(verifyFingerprint(tampered), false, `bit ${i}`);
  }
});

test('verification fails cleanly when the attribute is absent or has the wrong length', () => {
  const plain = decodeMessage(new MessageBuilder(StunMethod.Binding, StunClass.Request).build());
  assert.equal(verifyMessageIntegrity(plain, key), false);
  assert.equal(verifyMessageIntegritySha256(plain, key), false);
  assert.equal(verifyFingerprint(plain), false);
  const short = new MessageBuilder(StunMethod.Binding, StunClass.Request);
  short.addAttribute(0x0008, Buffer.alloc(16)).addAttribute(0x001c, Buffer.alloc(12)).addAttribute(0x8028, Buffer.alloc(8));
  const msg = decodeMessage(short.build());
  assert.equal(verifyMessageIntegrity(msg, key), false);
  assert.equal(verifyFingerprint(decodeMessage(new MessageBuilder(1, 0).addAttribute(0x8028, Buffer.alloc(8)).build())), false);
  const sha = decodeMessage(new MessageBuilder(1, 0).addAttribute(0x001c, Buffer.alloc(12)).build());
  assert.equal(verifyMessageIntegritySha256(sha, key), false);
});

test('MESSAGE-INTEGRITY-SHA256 may be truncated to 16-28 bytes', () => {
  for (const length of [16, 20, 24, 28, 32]) {
    const b = new MessageBuilder(StunMethod.Refresh, StunClass.Request);
    addSoftware(b, 'x');
    const msg = decodeMessage(b.addMessageIntegritySha256(key, length).build());
    assert.equal(msg.get(0x001c)?.length, length);
    assert.equal(verifyMessageIntegritySha256(msg, key), true, `${length}`);
    assert.equal(verifyMessageIntegritySha256(msg, shortTermKey('other')), false);
  }
  for (const bad of [12, 18, 36]) {
    assert.throws(() => new MessageBuilder(1, 0).addMessageIntegritySha256(key, bad), { code: 'BAD_VALUE' });
  }
});

test('keys: long-term MD5 and SHA-256, short-term, USERHASH', () => {
  // MD5("user:realm:pass")
  assert.equal(longTermKey('user', 'realm', 'pass').toString('hex'), '8493fbc53ba582fb4c044c456bdc40eb');
  assert.equal(longTermKey('user', 'realm', 'pass', PasswordAlgorithm.SHA256).length, 32);
  assert.deepEqual(shortTermKey('VOkJxbRl1RmTxUk/WvJxBt'), Buffer.from('VOkJxbRl1RmTxUk/WvJxBt'));
  assert.equal(userHash('user', 'realm').length, 32);
  assert.throws(() => longTermKey('u', 'r', 'p', 3 as PasswordAlgorithm), { code: 'BAD_VALUE' });
});

test('SASLprep subset: mapping to nothing, non-ASCII spaces, NFKC; ASCII untouched', () => {
  assert.equal(saslprep('The\u00ADM\u00AAtr\u2168'), 'TheMatrIX');
  assert.equal(saslprep('I\u00ADX'), 'IX'); // RFC 4013 §3 example
  assert.equal(saslprep('user'), 'user');
  assert.equal(saslprep('a\u00A0b\u3000c'), 'a b c');
  assert.equal(saslprep('\uFEFFx\u200By'), 'xy');
  assert.equal(saslprep('\u00AA'), 'a');
  assert.equal(saslprep('\u2168'), 'IX');
  assert.equal(saslprep('caf\u0065\u0301'), 'caf\u00e9');
  assert.equal(saslprep('\u{1F600}'), '\u{1F600}');
});
