// Round trips for every typed attribute, and the malformed values each reader rejects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as A from './address-attributes.js';
import { AttributeType } from './attribute-types.js';
import * as Auth from './auth-attributes.js';
import { MessageBuilder } from './builder.js';
import * as E from './error-codes.js';
import { StunDecodeError } from './errors.js';
import * as Ice from './ice-attributes.js';
import { PasswordAlgorithm } from './keys.js';
import { StunClass, StunMethod } from './message-type.js';
import { decodeMessage, type StunMessage } from './message.js';
import * as T from './text-attributes.js';
import * as Turn from './turn-attributes.js';

function build(fill: (b: MessageBuilder) => void, id?: Buffer): StunMessage {
  const b = new MessageBuilder(StunMethod.Allocate, StunClass.Request, id);
  fill(b);
  return decodeMessage(b.build());
}

/** A message with one attribute of `type` holding exactly `value`. */
function raw(type: number, value: Buffer | number[]): StunMessage {
  return build((b) => b.addAttribute(type, Buffer.from(value)));
}

function assertBad(read: () => unknown, type: number): void {
  assert.throws(
    read,
    (error) => error instanceof StunDecodeError && error.code === 'BAD_ATTRIBUTE' && error.attributeType === type,
  );
}

const ADDRESSES: A.TransportAddress[] = [
  { family: 'IPv4', address: '192.0.2.1', port: 32853 },
  { family: 'IPv4', address: '0.0.0.0', port: 0 },
  { family: 'IPv4', address: '255.255.255.255', port: 65535 },
  { family: 'IPv6', address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 },
  { family: 'IPv6', address: '::1', port: 3478 },
  { family: 'IPv6', address: 'fe80::abcd:1', port: 1 },
  { family: 'IPv6', address: '::ffff:10.0.0.1', port: 49152 },
];

const ADDRESS_ATTRIBUTES = [
  { type: AttributeType.MAPPED_ADDRESS, xor: false, add: A.addMappedAddress, get: A.getMappedAddress },
  { type: AttributeType.XOR_MAPPED_ADDRESS, xor: true, add: A.addXorMappedAddress, get: A.getXorMappedAddress },
  { type: AttributeType.XOR_PEER_ADDRESS, xor: true, add: A.addXorPeerAddress, get: A.getXorPeerAddress },
  { type: AttributeType.XOR_RELAYED_ADDRESS, xor: true, add: A.addXorRelayedAddress, get: A.getXorRelayedAddress },
  { type: AttributeType.ALTERNATE_SERVER, xor: false, add: A.addAlternateServer, get: A.getAlternateServer },
];

test('address attributes round-trip IPv4 and IPv6, plain and XOR', () => {
  for (const { type, xor, add, get } of ADDRESS_ATTRIBUTES) {
    for (const address of ADDRESSES) {
      const msg = build((b) => add(b, { address: address.address, port: address.port }));
      assert.deepEqual(get(msg), address, `${type.toString(16)} ${address.address}`);
      const value = msg.get(type)!.value;
      assert.equal(value.length, address.family === 'IPv4' ? 8 : 20);
      assert.equal(value[1], address.family === 'IPv4' ? A.FAMILY_IPV4 : A.FAMILY_IPV6);
      // XOR forms must not carry the port in the clear (the point of XOR: NATs rewriting it).
      assert.equal(value.readUInt16BE(2) === address.port, !xor || (address.port ^ 0x2112) === address.port);
    }
    assert.equal(get(build(() => {})), undefined);
  }
});

test('XOR addresses use the transaction id for IPv6: the same address under two ids differs on the wire', () => {
  const a = build((b) => A.addXorPeerAddress(b, { address: '2001:db8::1', port: 5000 }), Buffer.alloc(12, 1));
  const b = build((b) => A.addXorPeerAddress(b, { address: '2001:db8::1', port: 5000 }), Buffer.alloc(12, 2));
  assert.notDeepEqual(a.get(AttributeType.XOR_PEER_ADDRESS)!.value, b.get(AttributeType.XOR_PEER_ADDRESS)!.value);
  assert.deepEqual(A.getXorPeerAddress(a), A.getXorPeerAddress(b));
});

test('XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS may repeat (CreatePermission, dual allocation)', () => {
  const msg = build((b) => {
    A.addXorPeerAddress(b, ADDRESSES[0]!);
    A.addXorPeerAddress(b, ADDRESSES[3]!);
    A.addXorPeerAddress(b, ADDRESSES[4]!);
    A.addXorRelayedAddress(b, ADDRESSES[0]!);
    A.addXorRelayedAddress(b, ADDRESSES[3]!);
  });
  assert.deepEqual(A.getXorPeerAddresses(msg), [ADDRESSES[0], ADDRESSES[3], ADDRESSES[4]]);
  assert.deepEqual(A.getXorRelayedAddresses(msg), [ADDRESSES[0], ADDRESSES[3]]);
  assert.deepEqual(A.getXorPeerAddresses(build(() => {})), []);
});

test('malformed addresses are BAD_ATTRIBUTE; bad inputs are BAD_ADDRESS', () => {
  const type = AttributeType.XOR_MAPPED_ADDRESS;
  assertBad(() => A.getXorMappedAddress(raw(type, [0, 1, 0, 0])), type); // IPv4 without address
  assertBad(() => A.getXorMappedAddress(raw(type, [0, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8])), type); // 12 bytes
  assertBad(() => A.getXorMappedAddress(raw(type, [0, 2, 0, 0, 1, 2, 3, 4])), type); // IPv6 with 4 bytes
  assertBad(() => A.getXorMappedAddress(raw(type, [0, 3, 0, 0, 1, 2, 3, 4])), type); // family 3
  assertBad(() => A.getMappedAddress(raw(AttributeType.MAPPED_ADDRESS, [])), AttributeType.MAPPED_ADDRESS);
  for (const bad of [
    { address: '1.2.3', port: 1 },
    { address: 'example.org', port: 1 },
    { address: '1.2.3.4', port: 65536 },
    { address: '1.2.3.4', port: -1 },
    { address: '1.2.3.4', port: 1.5 },
    { address: '1::2::3', port: 1 },
  ]) {
    const b = new MessageBuilder(1, 0);
    assert.throws(() => A.addXorMappedAddress(b, bad), { code: 'BAD_ADDRESS' }, bad.address);
    assert.equal(b.length, 20, 'nothing half-written');
  }
});

test('text attributes round-trip UTF-8 and enforce their limits', () => {
  const cases = [
    { type: AttributeType.USERNAME, add: T.addUsername, get: T.getUsername, max: 513 },
    { type: AttributeType.REALM, add: T.addRealm, get: T.getRealm, max: 763 },
    { type: AttributeType.NONCE, add: T.addNonce, get: T.getNonce, max: 763 },
    { type: AttributeType.SOFTWARE, add: T.addSoftware, get: T.getSoftware, max: 763 },
  ];
  for (const { type, add, get, max } of cases) {
    for (const value of ['', 'a', 'abcd', 'Rendezvous 0.1 ☎', '1735689600:ada']) {
      assert.equal(get(build((b) => add(b, value))), value);
    }
    assert.equal(get(build(() => {})), undefined);
    assert.equal(get(raw(type, Buffer.alloc(max, 0x61))), 'a'.repeat(max));
    assertBad(() => get(raw(type, Buffer.alloc(max + 1, 0x61))), type);
    assert.throws(() => add(new MessageBuilder(1, 0), 'é'.repeat(Math.ceil(max / 2) + 1)), { code: 'VALUE_TOO_LONG' });
  }
  assert.throws(() => T.addRealm(new MessageBuilder(1, 0), 'x'.repeat(128)), { code: 'VALUE_TOO_LONG' });
  assert.equal(T.getRealm(build((b) => T.addRealm(b, 'x'.repeat(127)))), 'x'.repeat(127));
  // 127 characters of 3 bytes each: 381 bytes, allowed.
  assert.equal(T.getNonce(build((b) => T.addNonce(b, '☎'.repeat(127))))?.length, 127);
});

test('UNKNOWN-ATTRIBUTES round-trips odd and even counts', () => {
  for (const types of [[], [0x0003], [0x0003, 0x7fff], [1, 2, 3]]) {
    const msg = build((b) => T.addUnknownAttributes(b, types));
    assert.deepEqual(T.getUnknownAttributes(msg), types);
    assert.equal(msg.get(AttributeType.UNKNOWN_ATTRIBUTES)!.length, types.length * 2);
  }
  assert.equal(T.getUnknownAttributes(build(() => {})), undefined);
  assertBad(() => T.getUnknownAttributes(raw(AttributeType.UNKNOWN_ATTRIBUTES, [0, 1, 2])), AttributeType.UNKNOWN_ATTRIBUTES);
  assert.throws(() => T.addUnknownAttributes(new MessageBuilder(1, 0), [0x10000]), { code: 'BAD_VALUE' });
});

test('ERROR-CODE and ADDRESS-ERROR-CODE round-trip every named code with its phrase', () => {
  for (const code of Object.values(E.StunErrorCode)) {
    const msg = build((b) => E.addErrorCode(b, code));
    assert.deepEqual(E.getErrorCode(msg), { code, reason: E.STUN_REASON_PHRASES[code] });
    assert.ok(E.reasonPhrase(code).length > 0);
  }
  assert.equal(E.STUN_REASON_PHRASES[E.StunErrorCode.STALE_NONCE], 'Stale Nonce');
  assert.equal(E.StunErrorCode.INSUFFICIENT_CAPACITY, 508);
  assert.deepEqual(E.getErrorCode(build((b) => E.addErrorCode(b, 699, 'custom ☎'))), { code: 699, reason: 'custom ☎' });
  assert.deepEqual(E.getErrorCode(build((b) => E.addErrorCode(b, 420, ''))), { code: 420, reason: '' });
  assert.equal(E.reasonPhrase(499), '');
  const value = build((b) => E.addErrorCode(b, 438)).get(AttributeType.ERROR_CODE)!.value;
  assert.deepEqual([...value.subarray(0, 4)], [0, 0, 4, 38]);
  assert.deepEqual(E.getAddressErrorCode(build((b) => E.addAddressErrorCode(b, A.FAMILY_IPV6, 440))), {
    family: A.FAMILY_IPV6,
    code: 440,
    reason: 'Address Family not Supported',
  });
  assert.equal(E.getErrorCode(build(() => {})), undefined);
  const type = AttributeType.ERROR_CODE;
  assertBad(() => E.getErrorCode(raw(type, [0, 0, 4])), type);
  assertBad(() => E.getErrorCode(raw(type, [0, 0, 2, 0])), type); // class 2
  assertBad(() => E.getErrorCode(raw(type, [0, 0, 7, 0])), type); // class 7
  assertBad(() => E.getErrorCode(raw(type, [0, 0, 4, 100])), type); // number 100
  assertBad(() => E.getErrorCode(raw(type, [0, 0, 4, 0, ...Buffer.alloc(764, 0x61)])), type);
  assert.throws(() => E.addErrorCode(new MessageBuilder(1, 0), 299), { code: 'BAD_VALUE' });
  assert.throws(() => E.addErrorCode(new MessageBuilder(1, 0), 700), { code: 'BAD_VALUE' });
});

test('TURN attributes round-trip', () => {
  const token = Buffer.from('0123456789abcdef', 'hex');
  const data = Buffer.from('hello, peer');
  const msg = build((b) => {
    Turn.addLifetime(b, 600);
    Turn.addData(b, data);
    Turn.addRequestedTransport(b);
    Turn.addRequestedAddressFamily(b, A.FAMILY_IPV6);
    Turn.addAdditionalAddressFamily(b, A.FAMILY_IPV6);
    Turn.addEvenPort(b, true);
    Turn.addReservationToken(b, token);
    Turn.addDontFragment(b);
    Turn.addChannelNumber(b, 0x4001);
  });
  assert.equal(Turn.getLifetime(msg), 600);
  assert.deepEqual(Turn.getData(msg), data);
  assert.equal(Turn.getRequestedTransport(msg), Turn.TRANSPORT_UDP);
  assert.equal(Turn.getRequestedAddressFamily(msg), A.FAMILY_IPV6);
  assert.equal(Turn.getAdditionalAddressFamily(msg), A.FAMILY_IPV6);
  assert.equal(Turn.getEvenPort(msg), true);
  assert.deepEqual(Turn.getReservationToken(msg), token);
  assert.equal(Turn.hasDontFragment(msg), true);
  assert.equal(Turn.getChannelNumber(msg), 0x4001);
  assert.deepEqual([...msg.get(AttributeType.CHANNEL_NUMBER)!.value], [0x40, 0x01, 0, 0]);
  assert.deepEqual([...msg.get(AttributeType.REQUESTED_TRANSPORT)!.value], [17, 0, 0, 0]);

  const empty = build(() => {});
  for (const get of [
    Turn.getLifetime,
    Turn.getData,
    Turn.getRequestedTransport,
    Turn.getRequestedAddressFamily,
    Turn.getAdditionalAddressFamily,
    Turn.getEvenPort,
    Turn.getReservationToken,
    Turn.getChannelNumber,
  ]) {
    assert.equal(get(empty), undefined);
  }
  assert.equal(Turn.hasDontFragment(empty), false);
  assert.equal(Turn.getEvenPort(build((b) => Turn.addEvenPort(b, false))), false);
  assert.equal(Turn.getLifetime(build((b) => Turn.addLifetime(b, 0xffffffff))), 0xffffffff);
  assert.equal(Turn.getRequestedTransport(build((b) => Turn.addRequestedTransport(b, Turn.TRANSPORT_TCP))), 6);
  assert.deepEqual(Turn.getData(build((b) => Turn.addData(b, Buffer.alloc(0)))), Buffer.alloc(0));

  assertBad(() => Turn.getLifetime(raw(AttributeType.LIFETIME, [0, 0, 1])), AttributeType.LIFETIME);
  assertBad(() => Turn.getChannelNumber(raw(AttributeType.CHANNEL_NUMBER, [0x40, 0])), AttributeType.CHANNEL_NUMBER);
  assertBad(() => Turn.getRequestedTransport(raw(AttributeType.REQUESTED_TRANSPORT, [17])), AttributeType.REQUESTED_TRANSPORT);
  assertBad(() => Turn.getEvenPort(raw(AttributeType.EVEN_PORT, [0x80, 0, 0, 0])), AttributeType.EVEN_PORT);
  assertBad(() => Turn.getReservationToken(raw(AttributeType.RESERVATION_TOKEN, [1, 2, 3, 4])), AttributeType.RESERVATION_TOKEN);
  assert.throws(() => Turn.addReservationToken(new MessageBuilder(1, 0), Buffer.alloc(4)), { code: 'BAD_VALUE' });
  assert.throws(() => Turn.addChannelNumber(new MessageBuilder(1, 0), 0x10000), { code: 'BAD_VALUE' });
  assert.throws(() => Turn.addRequestedTransport(new MessageBuilder(1, 0), 256), { code: 'BAD_VALUE' });
  assert.throws(() => Turn.addLifetime(new MessageBuilder(1, 0), 2 ** 32), { code: 'BAD_VALUE' });
});

test('ICE attributes round-trip', () => {
  const msg = build((b) => {
    Ice.addPriority(b, 0x6e0001ff);
    Ice.addUseCandidate(b);
    Ice.addIceControlling(b, 0xffffffffffffffffn);
    Ice.addIceControlled(b, 1n);
  });
  assert.equal(Ice.getPriority(msg), 0x6e0001ff);
  assert.equal(Ice.hasUseCandidate(msg), true);
  assert.equal(Ice.getIceControlling(msg), 0xffffffffffffffffn);
  assert.equal(Ice.getIceControlled(msg), 1n);
  const empty = build(() => {});
  assert.equal(Ice.getPriority(empty), undefined);
  assert.equal(Ice.hasUseCandidate(empty), false);
  assert.equal(Ice.getIceControlling(empty), undefined);
  assert.equal(Ice.getIceControlled(empty), undefined);
  assertBad(() => Ice.getIceControlling(raw(AttributeType.ICE_CONTROLLING, [1, 2, 3, 4])), AttributeType.ICE_CONTROLLING);
  assertBad(() => Ice.getPriority(raw(AttributeType.PRIORITY, [1, 2, 3, 4, 5, 6, 7, 8])), AttributeType.PRIORITY);
  assert.throws(() => Ice.addIceControlled(new MessageBuilder(1, 0), -1n), { code: 'BAD_VALUE' });
  assert.throws(() => Ice.addIceControlled(new MessageBuilder(1, 0), 1n << 64n), { code: 'BAD_VALUE' });
});

test('PASSWORD-ALGORITHM(S) and USERHASH round-trip, parameters padded', () => {
  const offered = [
    { algorithm: PasswordAlgorithm.SHA256, parameters: Buffer.alloc(0) },
    { algorithm: 0x1234, parameters: Buffer.from([1, 2, 3, 4, 5]) },
    { algorithm: PasswordAlgorithm.MD5, parameters: Buffer.alloc(0) },
  ];
  const msg = build((b) => {
    Auth.addPasswordAlgorithms(b, offered);
    Auth.addPasswordAlgorithm(b, PasswordAlgorithm.MD5);
    Auth.addUserHash(b, Buffer.alloc(32, 7));
  });
  assert.deepEqual(Auth.getPasswordAlgorithms(msg), offered);
  assert.equal(msg.get(AttributeType.PASSWORD_ALGORITHMS)!.length, 4 + 12 + 4);
  assert.deepEqual(Auth.getPasswordAlgorithm(msg), { algorithm: PasswordAlgorithm.MD5, parameters: Buffer.alloc(0) });
  assert.deepEqual(Auth.getUserHash(msg), Buffer.alloc(32, 7));
  const empty = build(() => {});
  assert.equal(Auth.getPasswordAlgorithms(empty), undefined);
  assert.equal(Auth.getPasswordAlgorithm(empty), undefined);
  assert.equal(Auth.getUserHash(empty), undefined);
  const algorithms = AttributeType.PASSWORD_ALGORITHMS;
  assertBad(() => Auth.getPasswordAlgorithms(raw(algorithms, [0, 1, 0])), algorithms);
  assertBad(() => Auth.getPasswordAlgorithms(raw(algorithms, [0, 1, 0, 5, 1, 2, 3, 4])), algorithms);
  const single = AttributeType.PASSWORD_ALGORITHM;
  assertBad(() => Auth.getPasswordAlgorithm(raw(single, [0, 1, 0, 0, 0, 2, 0, 0])), single);
  assertBad(() => Auth.getPasswordAlgorithm(raw(single, [])), single);
  assertBad(() => Auth.getUserHash(raw(AttributeType.USERHASH, Buffer.alloc(31))), AttributeType.USERHASH);
  assert.throws(() => Auth.addUserHash(new MessageBuilder(1, 0), Buffer.alloc(16)), { code: 'BAD_VALUE' });
});

test('every attribute type in AttributeType has a typed reader exercised above', () => {
  // Guard: adding a type to the table without accessors (and a round trip here) fails this test.
  const covered = new Set<number>([
    ...ADDRESS_ATTRIBUTES.map((a) => a.type),
    AttributeType.USERNAME,
    AttributeType.REALM,
    AttributeType.NONCE,
    AttributeType.SOFTWARE,
    AttributeType.UNKNOWN_ATTRIBUTES,
    AttributeType.ERROR_CODE,
    AttributeType.ADDRESS_ERROR_CODE,
    AttributeType.LIFETIME,
    AttributeType.DATA,
    AttributeType.REQUESTED_TRANSPORT,
    AttributeType.REQUESTED_ADDRESS_FAMILY,
    AttributeType.ADDITIONAL_ADDRESS_FAMILY,
    AttributeType.EVEN_PORT,
    AttributeType.RESERVATION_TOKEN,
    AttributeType.DONT_FRAGMENT,
    AttributeType.CHANNEL_NUMBER,
    AttributeType.PRIORITY,
    AttributeType.USE_CANDIDATE,
    AttributeType.ICE_CONTROLLED,
    AttributeType.ICE_CONTROLLING,
    AttributeType.PASSWORD_ALGORITHMS,
    AttributeType.PASSWORD_ALGORITHM,
    AttributeType.USERHASH,
    // Covered in integrity.test.ts and rfc5769.test.ts:
    AttributeType.MESSAGE_INTEGRITY,
    AttributeType.MESSAGE_INTEGRITY_SHA256,
    AttributeType.FINGERPRINT,
  ]);
  assert.deepEqual(
    [...Object.values(AttributeType)].filter((type) => !covered.has(type)),
    [],
  );
});
