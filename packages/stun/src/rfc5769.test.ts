// The test vectors of RFC 5769 (https://www.rfc-editor.org/rfc/rfc5769) and RFC 8489 Appendix B.1: decode,
// check every attribute, verify MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT, and re-encode byte for byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getXorMappedAddress } from './address-attributes.js';
import { AttributeType } from './attribute-types.js';
import { MessageBuilder } from './builder.js';
import { getIceControlled, getPriority, addIceControlled, addPriority } from './ice-attributes.js';
import { verifyFingerprint, verifyMessageIntegrity, verifyMessageIntegritySha256 } from './integrity.js';
import { PasswordAlgorithm, longTermKey, shortTermKey, userHash } from './keys.js';
import { StunClass, StunMethod } from './message-type.js';
import { decodeMessage, isStunMessage } from './message.js';
import { getPasswordAlgorithm, getUserHash, addPasswordAlgorithm, addUserHash } from './auth-attributes.js';
import { addXorMappedAddress } from './address-attributes.js';
import { addNonce, addRealm, addSoftware, addUsername, getNonce, getRealm, getSoftware, getUsername } from './text-attributes.js';

/** Hex dump as printed in the RFC: whitespace ignored. */
function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

const SHORT_TERM_PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';

// §2.1 Sample Request
const REQUEST = hex(`
  00 01 00 58  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
  80 22 00 10  53 54 55 4e  20 74 65 73  74 20 63 6c  69 65 6e 74
  00 24 00 04  6e 00 01 ff
  80 29 00 08  93 2f f9 b1  51 26 3b 36
  00 06 00 09  65 76 74 6a  3a 68 36 76  59 20 20 20
  00 08 00 14  9a ea a7 0c  bf d8 cb 56  78 1e f2 b5  b2 d3 f2 49  c1 b5 71 a2
  80 28 00 04  e5 7a 3b cf`);

// §2.2 Sample IPv4 Response
const IPV4_RESPONSE = hex(`
  01 01 00 3c  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
  80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
  00 20 00 08  00 01 a1 47  e1 12 a6 43
  00 08 00 14  2b 91 f5 99  fd 9e 90 c3  8c 74 89 f9  2a f9 ba 53  f0 6b e7 d7
  80 28 00 04  c0 7d 4c 96`);

// §2.3 Sample IPv6 Response
const IPV6_RESPONSE = hex(`
  01 01 00 48  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
  80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
  00 20 00 14  00 02 a1 47  01 13 a9 fa  a5 d3 f1 79  bc 25 f4 b5  be d2 b9 d9
  00 08 00 14  a3 82 95 4e  4b e6 7b f1  17 84 c9 7c  82 92 c2 75  bf e3 ed 41
  80 28 00 04  c8 fb 0b 4c`);

// §2.4 Sample Request with Long-Term Authentication
const LONG_TERM_REQUEST = hex(`
  00 01 00 60  21 12 a4 42  78 ad 34 33  c6 ad 72 c0  29 da 41 2e
  00 06 00 12  e3 83 9e e3  83 88 e3 83  aa e3 83 83  e3 82 af e3  82 b9 00 00
  00 15 00 1c  66 2f 2f 34  39 39 6b 39  35 34 64 36  4f 4c 33 34  6f 4c 39 46  53 54 76 79  36 34 73 41
  00 14 00 0b  65 78 61 6d  70 6c 65 2e  6f 72 67 00
  00 08 00 14  f6 70 24 65  6d d6 4a 3e  02 b8 e0 71  2e 85 c9 a2  8c a8 96 66`);

// RFC 8489 Appendix B.1: long-term authentication with USERHASH, PASSWORD-ALGORITHM and MESSAGE-INTEGRITY-SHA256
const SHA256_REQUEST = hex(`
  00 01 00 90  21 12 a4 42  78 ad 34 33  c6 ad 72 c0  29 da 41 2e
  00 1e 00 20  4a 3c f3 8f  ef 69 92 bd  a9 52 c6 78  04 17 da 0f  24 81 94 15  56 9e 60 b2  05 c4 6e 41  40 7f 17 04
  00 15 00 29  6f 62 4d 61  74 4a 6f 73  32 41 41 41  43 66 2f 2f  34 39 39 6b  39 35 34 64  36 4f 4c 33
               34 6f 4c 39  46 53 54 76  79 36 34 73  41 00 00 00
  00 14 00 0b  65 78 61 6d  70 6c 65 2e  6f 72 67 00
  00 1d 00 04  00 02 00 00
  00 1c 00 20  b5 c7 bf 00  5b 6c 52 a2  1c 51 c5 e8  92 f8 19 24  13 62 96 cb  92 7c 43 14  93 09 27 8c  c6 51 8e 65`);

const USERNAME = '\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9'; // マトリックス
const RAW_PASSWORD = 'The\u00ADM\u00AAtr\u2168'; // SASLprep: "TheMatrIX"

test('RFC 5769 §2.1 sample request: attributes, short-term MESSAGE-INTEGRITY, FINGERPRINT, exact re-encoding', () => {
  assert.equal(isStunMessage(REQUEST), true);
  const msg = decodeMessage(REQUEST);
  assert.equal(msg.method, StunMethod.Binding);
  assert.equal(msg.class, StunClass.Request);
  assert.equal(msg.transactionIdHex, 'b7e7a701bc34d686fa87dfae');
  assert.deepEqual(
    msg.attributes.map((a) => a.type),
    [0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028],
  );
  assert.deepEqual(msg.unknownRequired, []);
  assert.equal(getSoftware(msg), 'STUN test client');
  assert.equal(getPriority(msg), 0x6e0001ff);
  assert.equal(getIceControlled(msg), 0x932ff9b151263b36n);
  assert.equal(getUsername(msg), 'evtj:h6vY');
  const key = shortTermKey(SHORT_TERM_PASSWORD);
  assert.equal(verifyMessageIntegrity(msg, key), true);
  assert.equal(verifyMessageIntegrity(msg, shortTermKey('wrong')), false);
  assert.equal(verifyFingerprint(msg), true);

  const b = new MessageBuilder(StunMethod.Binding, StunClass.Request, msg.transactionId, { paddingByte: 0x20 });
  addSoftware(b, 'STUN test client');
  addPriority(b, 0x6e0001ff);
  addIceControlled(b, 0x932ff9b151263b36n);
  addUsername(b, 'evtj:h6vY');
  b.addMessageIntegrity(key).addFingerprint();
  assert.deepEqual(b.build(), REQUEST);
});

test('RFC 5769 §2.2 IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853, exact re-encoding', () => {
  const msg = decodeMessage(IPV4_RESPONSE);
  assert.equal(msg.method, StunMethod.Binding);
  assert.equal(msg.class, StunClass.SuccessResponse);
  assert.equal(getSoftware(msg), 'test vector');
  assert.deepEqual(getXorMappedAddress(msg), { family: 'IPv4', address: '192.0.2.1', port: 32853 });
  const key = shortTermKey(SHORT_TERM_PASSWORD);
  assert.equal(verifyMessageIntegrity(msg, key), true);
  assert.equal(verifyFingerprint(msg), true);

  const b = new MessageBuilder(StunMethod.Binding, StunClass.SuccessResponse, msg.transactionId, { paddingByte: 0x20 });
  addSoftware(b, 'test vector');
  addXorMappedAddress(b, { address: '192.0.2.1', port: 32853 });
  assert.deepEqual(b.addMessageIntegrity(key).addFingerprint().build(), IPV4_RESPONSE);
});

test('RFC 5769 §2.3 IPv6 response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853, exact re-encoding', () => {
  const msg = decodeMessage(IPV6_RESPONSE);
  assert.equal(msg.class, StunClass.SuccessResponse);
  assert.equal(getSoftware(msg), 'test vector');
  assert.deepEqual(getXorMappedAddress(msg), {
    family: 'IPv6',
    address: '2001:db8:1234:5678:11:2233:4455:6677',
    port: 32853,
  });
  const key = shortTermKey(SHORT_TERM_PASSWORD);
  assert.equal(verifyMessageIntegrity(msg, key), true);
  assert.equal(verifyFingerprint(msg), true);

  const b = MessageBuilder.responseTo(decodeMessage(REQUEST), StunClass.SuccessResponse, { paddingByte: 0x20 });
  addSoftware(b, 'test vector');
  addXorMappedAddress(b, { address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
  assert.deepEqual(b.addMessageIntegrity(key).addFingerprint().build(), IPV6_RESPONSE);
});

test('RFC 5769 §2.4 long-term authentication: SASLprep password, MD5 key, exact re-encoding', () => {
  const msg = decodeMessage(LONG_TERM_REQUEST);
  assert.equal(msg.method, StunMethod.Binding);
  assert.equal(msg.class, StunClass.Request);
  assert.equal(getUsername(msg), USERNAME);
  assert.equal(getNonce(msg), 'f//499k954d6OL34oL9FSTvy64sA');
  assert.equal(getRealm(msg), 'example.org');
  assert.equal(msg.fingerprintOffset, -1);
  assert.equal(verifyFingerprint(msg), false);

  const key = longTermKey(USERNAME, 'example.org', RAW_PASSWORD);
  assert.deepEqual(key, longTermKey(USERNAME, 'example.org', 'TheMatrIX'));
  assert.equal(verifyMessageIntegrity(msg, key), true);
  assert.equal(verifyMessageIntegrity(msg, longTermKey(USERNAME, 'example.org', 'TheMatrix')), false);

  const b = new MessageBuilder(StunMethod.Binding, StunClass.Request, msg.transactionId);
  addUsername(b, USERNAME);
  addNonce(b, 'f//499k954d6OL34oL9FSTvy64sA');
  addRealm(b, 'example.org');
  assert.deepEqual(b.addMessageIntegrity(key).build(), LONG_TERM_REQUEST);
});

test('RFC 8489 B.1: USERHASH, PASSWORD-ALGORITHM SHA-256 and MESSAGE-INTEGRITY-SHA256, exact re-encoding', () => {
  const msg = decodeMessage(SHA256_REQUEST);
  const realm = 'example.org';
  const nonce = 'obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA';
  assert.deepEqual(getUserHash(msg), userHash(USERNAME, realm));
  assert.equal(getNonce(msg), nonce);
  assert.equal(getRealm(msg), realm);
  const algorithm = getPasswordAlgorithm(msg);
  assert.equal(algorithm?.algorithm, PasswordAlgorithm.SHA256);
  assert.equal(algorithm?.parameters.length, 0);
  assert.equal(msg.integritySha256Offset, 20 + 36 + 48 + 16 + 8);
  assert.equal(msg.integrityOffset, -1);

  const key = longTermKey(USERNAME, realm, RAW_PASSWORD, PasswordAlgorithm.SHA256);
  assert.equal(verifyMessageIntegritySha256(msg, key), true);
  assert.equal(verifyMessageIntegritySha256(msg, longTermKey(USERNAME, realm, RAW_PASSWORD)), false);
  assert.equal(verifyMessageIntegrity(msg, key), false);

  const b = new MessageBuilder(StunMethod.Binding, StunClass.Request, msg.transactionId);
  addUserHash(b, userHash(USERNAME, realm));
  addNonce(b, nonce);
  addRealm(b, realm);
  addPasswordAlgorithm(b, PasswordAlgorithm.SHA256);
  assert.deepEqual(b.addMessageIntegritySha256(key).build(), SHA256_REQUEST);
  assert.equal(msg.get(AttributeType.USERNAME), undefined);
});
