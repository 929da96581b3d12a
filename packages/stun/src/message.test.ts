import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AttributeType, attributeName, isComprehensionRequired, isKnownAttribute } from './attribute-types.js';
import { MessageBuilder } from './builder.js';
import { StunDecodeError, StunEncodeError } from './errors.js';
import { verifyFingerprint, verifyMessageIntegrity } from './integrity.js';
import {
  MAX_MESSAGE_LENGTH,
  StunClass,
  StunMethod,
  classOf,
  className,
  messageType,
  methodName,
  methodOf,
} from './message-type.js';
import { decodeMessage, isStunMessage } from './message.js';
import { addSoftware, addUsername, getSoftware, getUsername } from './text-attributes.js';
import { newTransactionId } from './transaction-id.js';

function decodeError(input: Uint8Array): StunDecodeError {
  try {
    decodeMessage(input);
  } catch (error) {
    assert.ok(error instanceof StunDecodeError, `expected StunDecodeError, got ${String(error)}`);
    return error;
  }
  assert.fail('decoded without error');
}

function header(type: number, length: number, cookie = 0x2112a442): Buffer {
  const buf = Buffer.alloc(20);
  buf.writeUInt16BE(type, 0);
  buf.writeUInt16BE(length, 2);
  buf.writeUInt32BE(cookie, 4);
  buf.fill(0xab, 8, 20);
  return buf;
}

test('message types interleave method and class bits as RFC 8489 §5 and RFC 8656 show', () => {
  // Known values: Binding request 0x0001, Binding success 0x0101, Binding error 0x0111, Allocate request 0x0003,
  // Allocate error 0x0113, Send indication 0x0016, Data indication 0x0017, ChannelBind success 0x0109.
  const cases: Array<[number, StunClass, number]> = [
    [StunMethod.Binding, StunClass.Request, 0x0001],
    [StunMethod.Binding, StunClass.SuccessResponse, 0x0101],
    [StunMethod.Binding, StunClass.ErrorResponse, 0x0111],
    [StunMethod.Binding, StunClass.Indication, 0x0011],
    [StunMethod.Allocate, StunClass.Request, 0x0003],
    [StunMethod.Allocate, StunClass.ErrorResponse, 0x0113],
    [StunMethod.Refresh, StunClass.SuccessResponse, 0x0104],
    [StunMethod.Send, StunClass.Indication, 0x0016],
    [StunMethod.Data, StunClass.Indication, 0x0017],
    [StunMethod.CreatePermission, StunClass.Request, 0x0008],
    [StunMethod.ChannelBind, StunClass.SuccessResponse, 0x0109],
    [0xfff, StunClass.ErrorResponse, 0x3fff],
  ];
  for (const [method, cls, type] of cases) {
    assert.equal(messageType(method, cls), type, `${methodName(method)} ${className(cls)}`);
    assert.equal(methodOf(type), method);
    assert.equal(classOf(type), cls);
  }
  for (let method = 0; method <= 0xfff; method++) {
    for (const cls of [0, 1, 2, 3] as const) {
      const type = messageType(method, cls);
      assert.ok(type < 0x4000);
      assert.equal(methodOf(type), method);
      assert.equal(classOf(type), cls);
    }
  }
  assert.equal(methodName(StunMethod.ChannelBind), 'ChannelBind');
  assert.equal(methodName(0x00a), '0x00a');
  assert.equal(className(StunClass.ErrorResponse), 'error response');
});

test('a built message decodes to the same method, class, transaction id and attributes', () => {
  const id = newTransactionId();
  const b = new MessageBuilder(StunMethod.Allocate, StunClass.Request, id);
  addUsername(b, 'alice');
  addSoftware(b, 'rendezvous');
  const bytes = b.build();
  assert.equal(bytes.length, 20 + 4 + 8 + 4 + 12);
  assert.equal(isStunMessage(bytes), true);
  const msg = decodeMessage(bytes);
  assert.equal(msg.method, StunMethod.Allocate);
  assert.equal(msg.class, StunClass.Request);
  assert.deepEqual(msg.transactionId, id);
  assert.equal(msg.length, bytes.length - 20);
  assert.equal(getUsername(msg), 'alice');
  assert.equal(getSoftware(msg), 'rendezvous');
  const username = msg.get(AttributeType.USERNAME)!;
  assert.equal(username.offset, 20);
  assert.equal(username.valueOffset, 24);
  assert.equal(username.length, 5);
  assert.deepEqual(username.value, Buffer.from('alice'));
  assert.deepEqual(bytes.subarray(29, 32), Buffer.alloc(3), 'padding is zero by default');
  assert.equal(msg.has(AttributeType.REALM), false);
  assert.equal(msg.toString(), `Allocate request ${id.toString('hex')} [USERNAME(5) SOFTWARE(10)]`);
  // A Uint8Array that is not a Buffer decodes too, as a view.
  const plain = new Uint8Array(bytes);
  assert.equal(getUsername(decodeMessage(plain)), 'alice');
});

test('random transaction ids are 12 bytes and differ', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const b = new MessageBuilder(StunMethod.Binding, StunClass.Request);
    const id = decodeMessage(b.build()).transactionIdHex;
    assert.equal(id.length, 24);
    seen.add(id);
  }
  assert.equal(seen.size, 1000);
  assert.throws(() => new MessageBuilder(1, 0, Buffer.alloc(11)), { code: 'BAD_TRANSACTION_ID' });
});

test('getAll returns repeated attributes in order; get returns the first', () => {
  const b = new MessageBuilder(StunMethod.Binding, StunClass.Request);
  b.addAttribute(0x8050, Buffer.from('one')).addAttribute(0x8050, Buffer.from('two'));
  const msg = decodeMessage(b.build());
  assert.deepEqual(
    msg.getAll(0x8050).map((a) => a.value.toString()),
    ['one', 'two'],
  );
  assert.equal(msg.get(0x8050)?.value.toString(), 'one');
  assert.deepEqual(msg.getAll(0x8051), []);
});

test('header errors: TOO_SHORT, NOT_STUN, BAD_COOKIE, BAD_PADDING, BAD_LENGTH', () => {
  assert.equal(decodeError(Buffer.alloc(0)).code, 'TOO_SHORT');
  assert.equal(decodeError(header(0x0001, 0).subarray(0, 19)).code, 'TOO_SHORT');
  assert.equal(decodeError(header(0x4001, 0)).code, 'NOT_STUN');
  assert.equal(decodeError(header(0x8001, 0)).code, 'NOT_STUN');
  assert.equal(decodeError(header(0x0001, 0, 0x2112a443)).code, 'BAD_COOKIE');
  assert.equal(decodeError(Buffer.concat([header(0x0001, 2), Buffer.alloc(2)])).code, 'BAD_PADDING');
  assert.equal(decodeError(Buffer.concat([header(0x0001, 8), Buffer.alloc(4)])).code, 'BAD_LENGTH');
  assert.equal(decodeError(Buffer.concat([header(0x0001, 4), Buffer.alloc(8)])).code, 'BAD_LENGTH');
  assert.equal(decodeError(header(0x0001, 0xfffc)).code, 'BAD_LENGTH');
  assert.equal(decodeMessage(header(0x0001, 0)).attributes.length, 0);
  for (const bad of [header(0x4001, 0), header(0x0001, 0, 1), Buffer.concat([header(1, 4), Buffer.alloc(8)])]) {
    assert.equal(isStunMessage(bad), false);
  }
  assert.equal(isStunMessage(Buffer.concat([header(1, 2), Buffer.alloc(2)])), false);
  assert.equal(isStunMessage(header(1, 0).subarray(0, 19)), false);
  assert.equal(isStunMessage(header(1, 0)), true);
});

test('an attribute that overruns the message is BAD_ATTRIBUTE, naming its type', () => {
  // USERNAME claims 9 bytes, 8 follow (with padding that would need 12).
  const msg = Buffer.concat([header(0x0001, 12), Buffer.from([0x00, 0x06, 0x00, 0x09]), Buffer.alloc(8)]);
  const error = decodeError(msg);
  assert.equal(error.code, 'BAD_ATTRIBUTE');
  assert.equal(error.attributeType, AttributeType.USERNAME);
  assert.match(error.message, /USERNAME of 9 bytes at 20/);
  // Claims 0xffff bytes.
  const huge = Buffer.concat([header(0x0001, 4), Buffer.from([0x80, 0x22, 0xff, 0xff])]);
  assert.equal(decodeError(huge).code, 'BAD_ATTRIBUTE');
  // Exactly fitting, including padding, is fine.
  const ok = Buffer.concat([
    header(0x0001, 16),
    Buffer.from([0x00, 0x06, 0x00, 0x09]),
    Buffer.from('evtj:h6vY'),
    Buffer.alloc(3),
  ]);
  assert.equal(getUsername(decodeMessage(ok)), 'evtj:h6vY');
});

test('unknown comprehension-required attributes are reported once each; unknown optional ones are not', () => {
  const b = new MessageBuilder(StunMethod.Allocate, StunClass.Request);
  b.addAttribute(0x0003, Buffer.alloc(4)); // CHANGE-REQUEST (RFC 5780): not understood
  b.addAttribute(0xc057, Buffer.alloc(4)); // GOOG-NETWORK-INFO: optional, ignored
  b.addAttribute(0x7fff, Buffer.alloc(0));
  b.addAttribute(0x0003, Buffer.alloc(4));
  b.addAttribute(0x8000 + 0x7777, Buffer.alloc(1));
  addUsername(b, 'u');
  const msg = decodeMessage(b.build());
  assert.deepEqual(msg.unknownRequired, [0x0003, 0x7fff]);
  assert.equal(msg.attributes.length, 6, 'unknown attributes are still listed');
  assert.deepEqual(decodeMessage(new MessageBuilder(1, 0).build()).unknownRequired, []);
  for (const type of Object.values(AttributeType)) {
    assert.equal(isKnownAttribute(type), true, attributeName(type));
  }
  assert.equal(isKnownAttribute(0x0003), false);
  assert.equal(isComprehensionRequired(0x7fff), true);
  assert.equal(isComprehensionRequired(0x8000), false);
  assert.equal(attributeName(AttributeType.XOR_MAPPED_ADDRESS), 'XOR-MAPPED-ADDRESS');
  assert.equal(attributeName(0xc057), '0xc057');
});

test('attributes after MESSAGE-INTEGRITY are ignored except MESSAGE-INTEGRITY-SHA256 and FINGERPRINT', () => {
  const key = Buffer.from('key');
  const b = new MessageBuilder(StunMethod.Binding, StunClass.Request);
  addUsername(b, 'user');
  b.addMessageIntegrity(key);
  // Not something a sender should do; a receiver must ignore these (RFC 8489 §14.5).
  addSoftware(b, 'after integrity');
  b.addAttribute(0x0003, Buffer.alloc(4)); // unknown comprehension-required, but ignored
  b.addMessageIntegritySha256(key);
  addSoftware(b, 'after sha256');
  b.addFingerprint();
  addSoftware(b, 'after fingerprint');
  const msg = decodeMessage(b.build());
  assert.deepEqual(
    msg.attributes.map((a) => a.type),
    [AttributeType.USERNAME, AttributeType.MESSAGE_INTEGRITY, AttributeType.MESSAGE_INTEGRITY_SHA256, AttributeType.FINGERPRINT],
  );
  assert.deepEqual(msg.unknownRequired, []);
  assert.equal(getSoftware(msg), undefined);
  assert.equal(verifyMessageIntegrity(msg, key), true);
  // FINGERPRINT verifies even with ignored attributes after it: its length field is adjusted.
  assert.equal(verifyFingerprint(msg), true);
  assert.equal(msg.raw.readUInt16BE(2), msg.length, 'verification restores the length field');
});

test('the builder refuses values that do not fit and use after build', () => {
  const b = new MessageBuilder(StunMethod.Binding, StunClass.Request);
  assert.throws(() => b.addAttribute(0x8050, Buffer.alloc(0x10000)), { code: 'VALUE_TOO_LONG' });
  b.addAttribute(0x8050, Buffer.alloc(0xfff0));
  assert.throws(() => b.addAttribute(0x8050, Buffer.alloc(16)), { code: 'VALUE_TOO_LONG' });
  b.addAttribute(0x8050, Buffer.alloc(4)); // exactly fills 0xfffc
  const bytes = b.build();
  assert.equal(bytes.length, MAX_MESSAGE_LENGTH);
  assert.equal(decodeMessage(bytes).attributes.length, 2);
  assert.throws(() => b.build(), { code: 'ALREADY_BUILT' });
  assert.throws(
    () => b.addFingerprint(),
    (error) => error instanceof StunEncodeError && error.code === 'ALREADY_BUILT',
  );
  assert.throws(() => new MessageBuilder(0x1000, 0), { code: 'BAD_VALUE' });
  assert.throws(() => new MessageBuilder(1, 0).addAttribute(0x10000, Buffer.alloc(0)), { code: 'BAD_VALUE' });
  assert.throws(() => new MessageBuilder(1, 0).addUint32(0x8050, -1), { code: 'BAD_VALUE' });
  assert.throws(() => new MessageBuilder(1, 0).addString(0x8050, 'abc', 2), { code: 'VALUE_TOO_LONG' });
  assert.throws(() => new MessageBuilder(1, 0).reserve(0x8050, 1.5), { code: 'BAD_VALUE' });
});

test('the builder grows past its initial capacity and keeps earlier bytes', () => {
  const b = new MessageBuilder(StunMethod.Binding, StunClass.Request, undefined, { initialCapacity: 8 });
  const values: Buffer[] = [];
  for (let i = 0; i < 50; i++) {
    const value = Buffer.alloc(i, i);
    values.push(value);
    b.addAttribute(0x8100 + i, value);
  }
  const msg = decodeMessage(b.build());
  assert.equal(msg.attributes.length, 50);
  msg.attributes.forEach((attribute, i) => {
    assert.equal(attribute.type, 0x8100 + i);
    assert.deepEqual(attribute.value, values[i]);
  });
});
