/**
 * A stream framer for RFC 5766 clients, whose channel numbers run up to 0x7FFF (coturn's turnutils_uclient
 * picks them at random in 0x4000-0x7FFF). The codec's StreamFramer follows RFC 8656 §12 and treats a first byte
 * of 0x50-0x7F as garbage; with `legacyChannelNumbers` the stream listener uses this one instead. Same contract:
 * `push(chunk)`, then `next()` until undefined; frames come back without padding; bytes that cannot start a
 * frame throw StunDecodeError. (Local adapter: drop it once the codec's framer takes a channel range option.)
 */
import { HEADER_LENGTH, MAGIC_COOKIE, StunDecodeError } from '@rendezvous/stun';

const EMPTY = Buffer.alloc(0);

export interface Framer {
  push(chunk: Uint8Array): unknown;
  next(): Buffer | undefined;
}

export class LegacyStreamFramer implements Framer {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Padding still to drop before the next frame. */
  private skip = 0;

  push(chunk: Uint8Array): this {
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), data]) : data;
    this.pos = 0;
    return this;
  }

  next(): Buffer | undefined {
    if (this.skip > 0) {
      const n = Math.min(this.skip, this.buf.length - this.pos);
      this.skip -= n;
      this.pos += n;
      if (this.skip > 0) return undefined;
    }
    const available = this.buf.length - this.pos;
    if (available < 4) return undefined;
    const first = this.buf[this.pos]!;
    const length = this.buf.readUInt16BE(this.pos + 2);
    let size: number;
    if ((first & 0xc0) === 0x40) {
      size = 4 + length;
    } else if ((first & 0xc0) === 0) {
      if (available < 8) return undefined;
      if ((length & 3) !== 0) throw new StunDecodeError('BAD_PADDING', `STUN length ${length}`);
      if (this.buf.readUInt32BE(this.pos + 4) !== MAGIC_COOKIE) throw new StunDecodeError('BAD_COOKIE');
      size = HEADER_LENGTH + length;
    } else {
      throw new StunDecodeError('BAD_FRAME', `first byte 0x${first.toString(16)}`);
    }
    if (available < size) return undefined;
    const frame = this.buf.subarray(this.pos, this.pos + size);
    this.pos += size;
    this.skip = (4 - (size & 3)) & 3;
    return frame;
  }
}
