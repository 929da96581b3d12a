/**
 * Packets for the fuzz test: valid seeds of every kind the server handles, and mutations of them (bit flips,
 * overwritten bytes, truncation, garbage appended, lying attribute lengths, attribute soup behind a correct
 * header, plain noise). Deterministic for a given seed, so a failure can be replayed.
 */
import {
  AttributeType,
  HEADER_LENGTH,
  MAGIC_COOKIE,
  MessageBuilder,
  StunClass,
  StunMethod,
  addChannelNumber,
  addData,
  addEvenPort,
  addLifetime,
  addNonce,
  addRealm,
  addRequestedTransport,
  addReservationToken,
  addUsername,
  addXorPeerAddress,
  longTermKey,
  messageType,
} from '@rendezvous/stun';

/** xorshift32: small, fast, reproducible. */
export class Rng {
  constructor(private state: number) {
    if (this.state === 0) {
      this.state = 0x9e3779b9;
    }
  }

  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  int(max: number): number {
    return this.next() % max;
  }

  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) {
      out[i] = this.next() & 0xff;
    }
    return out;
  }
}

export interface SeedCredentials {
  username: string;
  password: string;
  realm: string;
  nonce: string;
}

const PEER = { address: '127.0.0.1', port: 9 };

/** One valid message of each kind, signed where the server wants it signed. */
export function seeds(credentials: SeedCredentials): Buffer[] {
  const key = longTermKey(credentials.username, credentials.realm, credentials.password);
  const signed = (method: number, fill: (b: MessageBuilder) => void): Buffer => {
    const builder = new MessageBuilder(method, StunClass.Request);
    fill(builder);
    addUsername(builder, credentials.username);
    addRealm(builder, credentials.realm);
    addNonce(builder, credentials.nonce);
    builder.addMessageIntegrity(key).addFingerprint();
    return Buffer.from(builder.build());
  };
  const send = new MessageBuilder(StunMethod.Send, StunClass.Indication);
  addXorPeerAddress(send, PEER);
  addData(send, Buffer.from('fuzz payload'));
  const channelData = Buffer.from([0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0]);
  return [
    Buffer.from(new MessageBuilder(StunMethod.Binding, StunClass.Request).addFingerprint().build()),
    Buffer.from(new MessageBuilder(StunMethod.Binding, StunClass.Indication).build()),
    Buffer.from(addRequestedTransport(new MessageBuilder(StunMethod.Allocate, StunClass.Request)).build()),
    signed(StunMethod.Allocate, (b) => {
      addRequestedTransport(b);
      addEvenPort(b, true);
      addLifetime(b, 3600);
    }),
    signed(StunMethod.Allocate, (b) => {
      addRequestedTransport(b);
      addReservationToken(b, Buffer.alloc(8, 7));
    }),
    signed(StunMethod.Refresh, (b) => addLifetime(b, 600)),
    signed(StunMethod.CreatePermission, (b) => addXorPeerAddress(b, PEER)),
    signed(StunMethod.ChannelBind, (b) => {
      addChannelNumber(b, 0x4000);
      addXorPeerAddress(b, PEER);
    }),
    Buffer.from(send.build()),
    channelData,
  ];
}

const TYPES = Object.values(AttributeType);
const METHODS = [...Object.values(StunMethod), 0x00a, 0xfff];

/** A correct header (cookie, length) in front of random attributes: the attribute readers get the blame. */
function attributeSoup(rng: Rng): Buffer {
  const parts: Buffer[] = [];
  let length = 0;
  const count = rng.int(8);
  for (let i = 0; i < count; i++) {
    const type = rng.int(4) === 0 ? rng.int(0x10000) : TYPES[rng.int(TYPES.length)]!;
    const valueLength = [0, 1, 4, 8, 12, 20, 24, rng.int(64)][rng.int(8)]!;
    const attribute = Buffer.alloc(4 + ((valueLength + 3) & ~3));
    attribute.writeUInt16BE(type, 0);
    attribute.writeUInt16BE(valueLength, 2);
    rng.bytes(valueLength).copy(attribute, 4);
    parts.push(attribute);
    length += attribute.length;
  }
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt16BE(messageType(METHODS[rng.int(METHODS.length)]!, rng.int(4) as StunClass), 0);
  header.writeUInt16BE(length, 2);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  rng.bytes(12).copy(header, 8);
  return Buffer.concat([header, ...parts]);
}

/** A mutation of `seed`, or a fresh packet. */
export function mutate(rng: Rng, seed: Buffer): Buffer {
  const out = Buffer.from(seed);
  switch (rng.int(8)) {
    case 0:
      for (let i = rng.int(4) + 1; i > 0; i--) {
        out[rng.int(out.length)]! ^= 1 << rng.int(8);
      }
      return out;
    case 1:
      for (let i = rng.int(4) + 1; i > 0; i--) {
        out[rng.int(out.length)] = rng.int(256);
      }
      return out;
    case 2:
      return out.subarray(0, rng.int(out.length));
    case 3:
      return Buffer.concat([out, rng.bytes(rng.int(64) + 1)]);
    case 4: {
      // Lie about an attribute length (or the message length).
      const at = out.length > HEADER_LENGTH ? HEADER_LENGTH + 4 * rng.int((out.length - HEADER_LENGTH) / 4) + 2 : 2;
      if (at + 2 <= out.length) {
        out.writeUInt16BE(rng.int(0x10000), at);
      }
      return out;
    }
    case 5:
      return attributeSoup(rng);
    case 6: {
      const noise = rng.bytes(rng.int(200) + 1);
      noise[0] = [0x00, 0x01, 0x40, 0x4f, rng.int(256)][rng.int(5)]!;
      return noise;
    }
    default:
      return out;
  }
}

/**
 * Makes `packet` frame cleanly on a stream: a STUN length field that matches (rounded to 4 bytes) and the cookie,
 * or a ChannelData length that matches. Anything else would (rightly) get the connection closed.
 */
export function frameable(packet: Buffer): Buffer {
  if (packet.length < 4) {
    return Buffer.from([0x40, 0x00, 0x00, 0x00]);
  }
  const first = packet[0]!;
  if ((first & 0xc0) === 0x40) {
    const out = Buffer.from(packet);
    out[0] = 0x40 | (first & 0x0f);
    out.writeUInt16BE(out.length - 4, 2);
    return Buffer.concat([out, Buffer.alloc((4 - (out.length & 3)) & 3)]);
  }
  const body = Math.max(0, packet.length - HEADER_LENGTH);
  const out = Buffer.alloc(HEADER_LENGTH + ((body + 3) & ~3));
  packet.copy(out);
  out[0] = first & 0x3f;
  out.writeUInt16BE(out.length - HEADER_LENGTH, 2);
  out.writeUInt32BE(MAGIC_COOKIE, 4);
  return out;
}
