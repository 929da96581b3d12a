// Seeded fuzzing: random inputs and mutations of valid messages go through every decoding entry point.
// Each call either succeeds or throws StunDecodeError; anything else (a RangeError from reading past the end,
// a TypeError, a hang) fails the test. The seed is fixed so a failure reproduces; FUZZ_SEED overrides it.
// Only the test uses packages/common (the codec itself depends on nothing).
import { fuzzSeed, prng } from '@rendezvous/common';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as A from './address-attributes.js';
import { AttributeType } from './attribute-types.js';
import * as Auth from './auth-attributes.js';
import { MessageBuilder } from './builder.js';
import { decodeChannelData, encodeChannelData, isChannelData } from './channel-data.js';
import * as E from './error-codes.js';
import { StunDecodeError, type StunDecodeErrorCode } from './errors.js';
import { StreamFramer } from './framer.js';
import * as Ice from './ice-attributes.js';
import { verifyFingerprint, verifyMessageIntegrity, verifyMessageIntegritySha256 } from './integrity.js';
import { longTermKey } from './keys.js';
import { StunClass, StunMethod } from './message-type.js';
import { decodeMessage, isStunMessage, type StunMessage } from './message.js';
import * as T from './text-attributes.js';
import * as Turn from './turn-attributes.js';

const ITERATIONS = 100_000;
const SEED = fuzzSeed(0x5eed5717, process.env.FUZZ_SEED);
console.log(`stun fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED}; FUZZ_SEED=random draws one)`);

const key = longTermKey('user', 'realm', 'pass');

function corpus(): Buffer[] {
  const everything = (address: string, id?: Buffer): Buffer => {
    const b = new MessageBuilder(StunMethod.Allocate, StunClass.Request, id);
    A.addMappedAddress(b, { address, port: 1 });
    A.addXorMappedAddress(b, { address, port: 2 });
    A.addXorPeerAddress(b, { address, port: 3 });
    A.addXorPeerAddress(b, { address: '10.0.0.1', port: 4 });
    A.addXorRelayedAddress(b, { address, port: 5 });
    A.addAlternateServer(b, { address, port: 6 });
    T.addUsername(b, 'user');
    T.addRealm(b, 'realm');
    T.addNonce(b, 'nonce-☎');
    T.addSoftware(b, 'fuzz');
    T.addUnknownAttributes(b, [0x0003, 0x7fff, 0x0031]);
    E.addErrorCode(b, 438);
    E.addAddressErrorCode(b, 2, 440);
    Turn.addLifetime(b, 600);
    Turn.addData(b, Buffer.from('payload'));
    Turn.addRequestedTransport(b);
    Turn.addRequestedAddressFamily(b, 1);
    Turn.addAdditionalAddressFamily(b, 2);
    Turn.addEvenPort(b, true);
    Turn.addReservationToken(b, Buffer.alloc(8, 1));
    Turn.addDontFragment(b);
    Turn.addChannelNumber(b, 0x4000);
    Ice.addPriority(b, 1);
    Ice.addUseCandidate(b);
    Ice.addIceControlled(b, 2n);
    Ice.addIceControlling(b, 3n);
    Auth.addPasswordAlgorithms(b, [{ algorithm: 2 }, { algorithm: 9, parameters: Buffer.from([1, 2, 3]) }]);
    Auth.addPasswordAlgorithm(b, 1);
    Auth.addUserHash(b, Buffer.alloc(32, 3));
    b.addAttribute(0x0003, Buffer.alloc(4));
    return b.addMessageIntegrity(key).addMessageIntegritySha256(key).addFingerprint().build();
  };
  const binding = new MessageBuilder(StunMethod.Binding, StunClass.Request).addFingerprint().build();
  return [
    everything('192.0.2.1'),
    everything('2001:db8::77', Buffer.alloc(12, 0xa5)),
    binding,
    new MessageBuilder(StunMethod.Binding, StunClass.Request).build(),
    encodeChannelData(0x4001, Buffer.from('hello')),
    encodeChannelData(0x4fff, Buffer.alloc(0)),
  ];
}

/** Offsets of attribute headers in a valid message, to aim mutations at. */
function attributeOffsets(message: Buffer): number[] {
  try {
    return decodeMessage(message).attributes.map((a) => a.offset);
  } catch {
    return [];
  }
}

const KNOWN_TYPES = Object.values(AttributeType);

function mutate(random: () => number, seeds: Buffer[], offsets: number[][]): Buffer {
  const int = (n: number): number => Math.floor(random() * n);
  if (random() < 0.08) {
    const bytes = Buffer.alloc(int(80));
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = int(256);
    }
    if (bytes.length >= 8 && random() < 0.5) {
      bytes.writeUInt32BE(0x2112a442, 4);
    }
    return bytes;
  }
  const which = int(seeds.length);
  let bytes = Buffer.from(seeds[which]!);
  const attributes = offsets[which]!;
  const rounds = 1 + int(3);
  // A third of the time, keep the structure (types and values only), so the typed readers see odd values.
  const structural = random() < 0.66;
  for (let r = 0; r < rounds; r++) {
    const pick = structural ? int(9) : 5 + int(2) * 4; // 5: retype an attribute, 9: flip bits in a value
    if (pick === 0) {
      for (let flips = 1 + int(8); flips > 0 && bytes.length > 0; flips--) {
        bytes[int(bytes.length)]! ^= 1 << int(8);
      }
    } else if (pick === 1) {
      bytes = bytes.subarray(0, int(bytes.length + 1));
    } else if (pick === 2 && bytes.length >= 4) {
      // The header length field lies: random, huge, or off by a little.
      const lie = [int(0x10000), 0xffff, 0xfffc, bytes.readUInt16BE(2) + 4 * (int(5) - 2), int(64)][int(5)]!;
      bytes.writeUInt16BE(lie & 0xffff, 2);
    } else if ((pick === 3 || pick === 4) && attributes.length > 0) {
      // An attribute length lies.
      const at = attributes[int(attributes.length)]!;
      if (at + 4 <= bytes.length) {
        const length = bytes.readUInt16BE(at + 2);
        const lie = [int(0x10000), 0xffff, length + 1 + int(8), Math.max(0, length - 1 - int(4)), 0][int(5)]!;
        bytes.writeUInt16BE(lie & 0xffff, at + 2);
      }
    } else if (pick === 5 && attributes.length > 0) {
      // An attribute becomes another known type, so readers meet values of the wrong shape.
      const at = attributes[int(attributes.length)]!;
      if (at + 2 <= bytes.length) {
        bytes.writeUInt16BE(KNOWN_TYPES[int(KNOWN_TYPES.length)]!, at);
      }
    } else if (pick === 9 && attributes.length > 0) {
      const at = attributes[int(attributes.length)]!;
      const length = bytes.readUInt16BE(at + 2);
      if (length > 0) {
        bytes[at + 4 + int(length)]! ^= 1 << int(8);
      }
    } else if (pick === 6) {
      const extra = Buffer.alloc(int(12));
      for (let i = 0; i < extra.length; i++) {
        extra[i] = int(256);
      }
      bytes = Buffer.concat([bytes, extra]);
    } else if (pick === 7 && bytes.length > 0) {
      bytes[int(bytes.length)] = [0, 0xff, 0x40, 0x80, int(256)][int(5)]!;
    } else if (bytes.length > 0) {
      // A slice from the middle.
      const start = int(bytes.length);
      bytes = bytes.subarray(start, start + int(bytes.length - start + 1));
    }
  }
  return bytes;
}

/** Every reader, with the attribute type it reads when it reads just the first one of a type. */
const READERS: Array<[number | undefined, (msg: StunMessage) => unknown]> = [
  [AttributeType.MAPPED_ADDRESS, A.getMappedAddress],
  [AttributeType.XOR_MAPPED_ADDRESS, A.getXorMappedAddress],
  [AttributeType.XOR_PEER_ADDRESS, A.getXorPeerAddress],
  [undefined, A.getXorPeerAddresses],
  [AttributeType.XOR_RELAYED_ADDRESS, A.getXorRelayedAddress],
  [undefined, A.getXorRelayedAddresses],
  [AttributeType.ALTERNATE_SERVER, A.getAlternateServer],
  [AttributeType.USERNAME, T.getUsername],
  [AttributeType.REALM, T.getRealm],
  [AttributeType.NONCE, T.getNonce],
  [AttributeType.SOFTWARE, T.getSoftware],
  [AttributeType.UNKNOWN_ATTRIBUTES, T.getUnknownAttributes],
  [AttributeType.ERROR_CODE, E.getErrorCode],
  [AttributeType.ADDRESS_ERROR_CODE, E.getAddressErrorCode],
  [AttributeType.LIFETIME, Turn.getLifetime],
  [AttributeType.DATA, Turn.getData],
  [AttributeType.REQUESTED_TRANSPORT, Turn.getRequestedTransport],
  [AttributeType.REQUESTED_ADDRESS_FAMILY, Turn.getRequestedAddressFamily],
  [AttributeType.ADDITIONAL_ADDRESS_FAMILY, Turn.getAdditionalAddressFamily],
  [AttributeType.EVEN_PORT, Turn.getEvenPort],
  [AttributeType.RESERVATION_TOKEN, Turn.getReservationToken],
  [AttributeType.DONT_FRAGMENT, Turn.hasDontFragment],
  [AttributeType.CHANNEL_NUMBER, Turn.getChannelNumber],
  [AttributeType.PRIORITY, Ice.getPriority],
  [AttributeType.USE_CANDIDATE, Ice.hasUseCandidate],
  [AttributeType.ICE_CONTROLLED, Ice.getIceControlled],
  [AttributeType.ICE_CONTROLLING, Ice.getIceControlling],
  [AttributeType.PASSWORD_ALGORITHMS, Auth.getPasswordAlgorithms],
  [AttributeType.PASSWORD_ALGORITHM, Auth.getPasswordAlgorithm],
  [AttributeType.USERHASH, Auth.getUserHash],
  [undefined, (m) => verifyMessageIntegrity(m, key)],
  [undefined, (m) => verifyMessageIntegritySha256(m, key)],
  [undefined, verifyFingerprint],
  [undefined, (m) => m.toString()],
];

/**
 * The same header with only the first attribute of `type`, its padding filled with 0xEE and nothing after it.
 * A reader that looks past its attribute's value reads different bytes here (or runs off the end).
 */
function isolate(msg: StunMessage, type: number): StunMessage | undefined {
  const attribute = msg.get(type);
  if (attribute === undefined) {
    return undefined;
  }
  const padded = (attribute.length + 3) & ~3;
  const out = Buffer.alloc(20 + 4 + padded, 0xee);
  msg.raw.copy(out, 0, 0, 20);
  out.writeUInt16BE(4 + padded, 2);
  msg.raw.copy(out, 20, attribute.offset, attribute.offset + 4 + attribute.length);
  return decodeMessage(out);
}

type Outcome = { ok: true; value: unknown } | { ok: false; code: string };

test(`fuzz: ${ITERATIONS} random and mutated inputs decode or throw StunDecodeError, nothing else`, () => {
  const random = prng(SEED);
  const seeds = corpus();
  const offsets = seeds.map(attributeOffsets);
  const codes = new Map<StunDecodeErrorCode, number>();
  let decoded = 0;
  let framed = 0;
  let readerErrors = 0;
  let current: Buffer = Buffer.alloc(0);

  const run = (what: string, call: () => unknown): Outcome => {
    try {
      return { ok: true, value: call() };
    } catch (error) {
      if (!(error instanceof StunDecodeError)) {
        assert.fail(`${what} threw ${String(error)} for ${current.toString('hex')} (seed ${SEED})`);
      }
      codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
      return { ok: false, code: error.code };
    }
  };
  const guard = (what: string, call: () => void): void => void run(what, call);

  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    const input = mutate(random, seeds, offsets);
    current = input;
    const before = Buffer.from(input);

    isStunMessage(input);
    isChannelData(input);
    guard('decodeChannelData', () => {
      const { data } = decodeChannelData(input);
      assert.ok(data.byteOffset + data.length <= input.byteOffset + input.length);
    });
    guard('decodeMessage', () => {
      const msg = decodeMessage(input);
      decoded++;
      for (const attribute of msg.attributes) {
        assert.ok(attribute.offset + 4 + attribute.length <= msg.raw.length);
      }
      for (const [type, read] of READERS) {
        const outcome = run('reader', () => read(msg));
        if (!outcome.ok) {
          readerErrors++;
        }
        const alone = type === undefined ? undefined : isolate(msg, type);
        if (alone !== undefined) {
          assert.deepEqual(
            run('reader', () => read(alone)),
            outcome,
            `a reader of 0x${type!.toString(16)} looked outside its value`,
          );
        }
      }
    });
    assert.deepEqual(input, before, 'decoding never changes the input');

    // The stream framer: the input after a valid frame, cut at a random point.
    const framer = new StreamFramer();
    const stream = Buffer.concat([seeds[i % seeds.length]!, input]);
    const cut = Math.floor(random() * (stream.length + 1));
    guard('StreamFramer', () => {
      framed += framer.push(stream.subarray(0, cut)).drain().length;
      framed += framer.push(stream.subarray(cut)).drain().length;
      assert.ok(framer.buffered <= 0xffff + 20);
    });
  }
  const elapsed = performance.now() - started;

  // The fuzzer must reach both outcomes and many error paths, or it is not testing much.
  assert.ok(decoded > ITERATIONS * 0.1, `only ${decoded} inputs decoded`);
  assert.ok(readerErrors > 1000, `only ${readerErrors} reader errors`);
  assert.ok(framed > ITERATIONS, `only ${framed} frames`);
  for (const code of [
    'TOO_SHORT',
    'NOT_STUN',
    'BAD_COOKIE',
    'BAD_LENGTH',
    'BAD_PADDING',
    'BAD_ATTRIBUTE',
    'BAD_CHANNEL_NUMBER',
    'BAD_FRAME',
  ] as const) {
    assert.ok((codes.get(code) ?? 0) > 0, `never saw ${code}`);
  }
  console.log(
    `fuzz: ${ITERATIONS} inputs in ${Math.round(elapsed)} ms; ${decoded} decoded, ${framed} frames;`,
    Object.fromEntries(codes),
  );
});
