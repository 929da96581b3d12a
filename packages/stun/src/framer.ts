/**
 * Splits a TCP or TLS byte stream into STUN messages and ChannelData messages (RFC 8656 §12.5,
 * https://www.rfc-editor.org/rfc/rfc8656#section-12.5; RFC 8489 §6.2.2). Over a stream, every STUN message is a
 * multiple of 4 bytes long and every ChannelData message is padded to one, so the first bytes of each frame
 * say how long it is:
 *
 *   00xxxxxx  STUN: 20 + the length field; checked for a multiple of 4 and the magic cookie before trusting it
 *   0100xxxx  ChannelData: 4 + the length field, then padding to 4 (dropped)
 *   anything else is garbage: the stream is out of sync and the connection should be closed
 *
 * Use: `push(chunk)`, then call `next()` until it returns undefined. A frame is a view of the pushed chunk when
 * it lies within one (no copy), otherwise a copy assembled in a buffer of exactly its size; so at most one
 * partial frame (at most 65,552 bytes) is held, however the stream is cut. Frames come back without padding,
 * ready for `decodeMessage` or `decodeChannelData`. Do not modify a chunk after pushing it.
 */
import { StunDecodeError } from './errors.js';
import { HEADER_LENGTH, MAGIC_COOKIE } from './message-type.js';
import { asBuffer } from './message.js';

const EMPTY = Buffer.alloc(0);
/** Bytes of a STUN header needed before its length is trusted: type, length, magic cookie. */
const STUN_PEEK = 8;
const CHANNEL_PEEK = 4;

/**
 * The full size of the frame starting at `buf[off]` (without padding), or minus the number of header bytes
 * needed to know it. Throws on bytes that cannot start a frame.
 */
function frameSize(buf: Buffer, off: number, available: number): number {
  const first = buf[off]!;
  if ((first & 0xc0) === 0x40) {
    if ((first & 0xf0) !== 0x40) throw new StunDecodeError('BAD_CHANNEL_NUMBER', `0x${first.toString(16)}xx`);
    if (available < CHANNEL_PEEK) return -CHANNEL_PEEK;
    return CHANNEL_PEEK + buf.readUInt16BE(off + 2);
  }
  if ((first & 0xc0) !== 0) throw new StunDecodeError('BAD_FRAME', `first byte 0x${first.toString(16)}`);
  if (available < STUN_PEEK) return -STUN_PEEK;
  const length = buf.readUInt16BE(off + 2);
  if ((length & 3) !== 0) throw new StunDecodeError('BAD_PADDING', `STUN length ${length}`);
  if (buf.readUInt32BE(off + 4) !== MAGIC_COOKIE) throw new StunDecodeError('BAD_COOKIE');
  return HEADER_LENGTH + length;
}

export class StreamFramer {
  private chunk: Buffer = EMPTY;
  private pos = 0;
  /** Padding bytes still to drop before the next frame. */
  private skip = 0;
  /** A frame header cut before its size is known. */
  private readonly head = Buffer.alloc(STUN_PEEK);
  private headLength = 0;
  /** A frame of known size being assembled across chunks. */
  private partial: Buffer | undefined;
  private partialLength = 0;
  private failed: StunDecodeError | undefined;

  /** Adds the next chunk of the stream. */
  push(chunk: Uint8Array): this {
    if (this.failed !== undefined) throw this.failed;
    const buf = asBuffer(chunk);
    // Frames left in the previous chunk (next() was not called until undefined): keep them in front.
    this.chunk = this.pos < this.chunk.length ? Buffer.concat([this.chunk.subarray(this.pos), buf]) : buf;
    this.pos = 0;
    return this;
  }

  /**
   * The next complete frame, or undefined until more bytes are pushed. Throws `StunDecodeError` when the
   * stream holds something that is not a frame; from then on every call throws that same error.
   */
  next(): Buffer | undefined {
    if (this.failed !== undefined) throw this.failed;
    try {
      return this.step();
    } catch (error) {
      if (error instanceof StunDecodeError) this.failed = error;
      throw error;
    }
  }

  /**
   * Every complete frame available now. When garbage follows some frames, those frames are returned and the
   * error is thrown by the next call.
   */
  drain(): Buffer[] {
    const frames: Buffer[] = [];
    try {
      for (let frame = this.next(); frame !== undefined; frame = this.next()) frames.push(frame);
    } catch (error) {
      if (frames.length === 0) throw error;
    }
    return frames;
  }

  /** Bytes held that do not yet form a frame. */
  get buffered(): number {
    return this.chunk.length - this.pos + this.headLength + this.partialLength;
  }

  private step(): Buffer | undefined {
    const chunk = this.chunk;
    let pos = this.pos;
    for (;;) {
      const available = chunk.length - pos;
      if (this.skip > 0) {
        if (available === 0) break;
        const n = Math.min(this.skip, available);
        this.skip -= n;
        pos += n;
        continue;
      }
      if (this.headLength > 0) {
        const size = frameSize(this.head, 0, this.headLength);
        if (size < 0) {
          if (available === 0) break;
          const n = Math.min(-size - this.headLength, available);
          chunk.copy(this.head, this.headLength, pos, pos + n);
          this.headLength += n;
          pos += n;
          continue;
        }
        // The header fixed the size (never less than the header itself): continue as a partial frame.
        const partial = Buffer.allocUnsafe(size);
        this.head.copy(partial, 0, 0, this.headLength);
        this.partialLength = this.headLength;
        this.headLength = 0;
        if (size > this.partialLength) {
          this.partial = partial;
          continue;
        }
        this.partialLength = 0;
        return this.emit(partial, pos);
      }
      if (available === 0) break;

      if (this.partial !== undefined) {
        const partial = this.partial;
        const n = Math.min(partial.length - this.partialLength, available);
        chunk.copy(partial, this.partialLength, pos, pos + n);
        this.partialLength += n;
        pos += n;
        if (this.partialLength < partial.length) break;
        this.partial = undefined;
        this.partialLength = 0;
        return this.emit(partial, pos);
      }

      const size = frameSize(chunk, pos, available);
      if (size >= 0 && size <= available) return this.emit(chunk.subarray(pos, pos + size), pos + size);
      if (size >= 0) {
        this.partial = Buffer.allocUnsafe(size);
        chunk.copy(this.partial, 0, pos);
        this.partialLength = available;
      } else {
        chunk.copy(this.head, 0, pos);
        this.headLength = available;
      }
      pos = chunk.length;
    }
    this.pos = pos;
    if (pos === chunk.length) {
      this.chunk = EMPTY;
      this.pos = 0;
    }
    return undefined;
  }

  /** Records where the next frame starts and the padding before it. STUN sizes are multiples of 4 already. */
  private emit(frame: Buffer, pos: number): Buffer {
    this.pos = pos;
    this.skip = (4 - (frame.length & 3)) & 3;
    return frame;
  }
}
