/**
 * Splits a TCP or TLS byte stream into STUN messages and ChannelData messages (RFC 8656 §12.5,
 * https://www.rfc-editor.org/rfc/rfc8656#section-12.5; RFC 8489 §6.2.2). Over a stream, every STUN message is a
 * multiple of 4 bytes long and every ChannelData message is padded to one, so the first bytes of each frame
 * say how long it is:
 *
 *   00xxxxxx  STUN: 20 + the length field; checked for a multiple of 4 and the magic cookie before trusting it
 *   01xxxxxx  ChannelData: 4 + the length field, then padding to 4 (dropped); the channel number must not pass
 *             `maxChannelNumber` (0x4FFF, RFC 8656; 0x7FFF for RFC 5766 clients, which pick up to it)
 *   anything else is garbage: the stream is out of sync and the connection should be closed
 *
 * Use: `push(chunk)`, then call `next()` until it returns undefined. A frame is a view of the pushed chunk when
 * it lies within one (no copy). A frame cut across chunks is assembled in a buffer that grows geometrically up to
 * the frame's size, so the work is linear in the bytes received however the stream is cut (a one-byte drip
 * included: each byte is copied about twice at most, never once per chunk), and the memory held is about twice
 * the bytes received, at most one frame (65,552 bytes) plus the chunks pushed and not yet read. Frames come back
 * without padding, ready for `decodeMessage` or `decodeChannelData`. Do not modify a chunk after pushing it.
 */
import { MAX_CHANNEL_NUMBER, MIN_CHANNEL_NUMBER } from './channel-data.js';
import { StunDecodeError } from './errors.js';
import { HEADER_LENGTH, MAGIC_COOKIE } from './message-type.js';
import { asBuffer } from './message.js';

/** Bytes of a STUN header needed before its length is trusted: type, length, magic cookie. */
const STUN_PEEK = 8;
const CHANNEL_PEEK = 4;
/** A frame cut across chunks gets a buffer of its full size up to this; a larger one starts here and doubles. */
const FIRST_CAPACITY = 4096;
/** Queue entries consumed before the queue array is compacted. */
const COMPACT_AFTER = 32;

export interface StreamFramerOptions {
  /**
   * Highest ChannelData channel number accepted (default 0x4FFF, RFC 8656 §12). 0x7FFF accepts the RFC 5766
   * range that some clients (coturn's turnutils_uclient) pick from. Only the first byte is checked here.
   */
  maxChannelNumber?: number;
}

export class StreamFramer {
  /** Bytes copied so far (into headers and assembled frames): the framer's work, for tests and metrics. */
  copiedBytes = 0;
  /** First byte of the highest channel number accepted. */
  private readonly maxChannelHigh: number;
  /** Chunks pushed and not yet consumed, from `queueHead` on; `pos` is the read position in the first. */
  private queue: (Buffer | undefined)[] = [];
  private queueHead = 0;
  private pos = 0;
  private queuedBytes = 0;
  /** Padding bytes still to drop before the next frame. */
  private skip = 0;
  /** A frame header cut before its size is known. */
  private readonly head = Buffer.alloc(STUN_PEEK);
  private headLength = 0;
  /** A frame of known size being assembled across chunks: `partialSize` bytes, `partialLength` of them in. */
  private partial: Buffer | undefined;
  private partialLength = 0;
  private partialSize = 0;
  private failed: StunDecodeError | undefined;

  constructor(options: StreamFramerOptions = {}) {
    const max = options.maxChannelNumber ?? MAX_CHANNEL_NUMBER;
    if (!Number.isInteger(max) || max < MIN_CHANNEL_NUMBER || max > 0x7fff) {
      throw new RangeError(`maxChannelNumber must be 0x4000-0x7FFF, got ${String(max)}`);
    }
    this.maxChannelHigh = max >>> 8;
  }

  /** Adds the next chunk of the stream. */
  push(chunk: Uint8Array): this {
    if (this.failed !== undefined) {
      throw this.failed;
    }
    if (chunk.length === 0) {
      return this;
    }
    this.queue.push(asBuffer(chunk));
    this.queuedBytes += chunk.length;
    return this;
  }

  /**
   * The next complete frame, or undefined until more bytes are pushed. Throws `StunDecodeError` when the
   * stream holds something that is not a frame; from then on every call throws that same error.
   */
  next(): Buffer | undefined {
    if (this.failed !== undefined) {
      throw this.failed;
    }
    try {
      return this.step();
    } catch (error) {
      if (error instanceof StunDecodeError) {
        this.failed = error;
      }
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
      for (let frame = this.next(); frame !== undefined; frame = this.next()) {
        frames.push(frame);
      }
    } catch (error) {
      if (frames.length === 0) {
        throw error;
      }
    }
    return frames;
  }

  /** Bytes held that do not yet form a frame. */
  get buffered(): number {
    return this.queuedBytes - this.pos + this.headLength + this.partialLength;
  }

  private step(): Buffer | undefined {
    for (;;) {
      const chunk = this.queue[this.queueHead];
      if (chunk === undefined) {
        return undefined;
      }
      const available = chunk.length - this.pos;
      if (available === 0) {
        this.shiftChunk();
        continue;
      }
      if (this.skip > 0) {
        const n = Math.min(this.skip, available);
        this.skip -= n;
        this.pos += n;
        continue;
      }
      if (this.headLength > 0) {
        let size = this.frameSize(this.head, 0, this.headLength);
        if (size < 0) {
          this.headLength += this.copy(chunk, this.head, this.headLength, -size - this.headLength);
          size = this.frameSize(this.head, 0, this.headLength);
          if (size < 0) {
            continue;
          }
        }
        // The header fixed the size (never less than the header itself): continue as a partial frame.
        this.startPartial(size, this.head.subarray(0, this.headLength));
        this.headLength = 0;
        if (this.partialLength === size) {
          return this.finishPartial();
        }
        continue;
      }
      if (this.partial !== undefined) {
        this.appendPartial(chunk);
        if (this.partialLength === this.partialSize) {
          return this.finishPartial();
        }
        continue;
      }
      const size = this.frameSize(chunk, this.pos, available);
      if (size >= 0 && size <= available) {
        const frame = chunk.subarray(this.pos, this.pos + size);
        this.pos += size;
        return this.emit(frame);
      }
      if (size >= 0) {
        this.startPartial(size, undefined);
        this.appendPartial(chunk);
      } else {
        this.headLength = this.copy(chunk, this.head, 0, available);
      }
    }
  }

  /**
   * The full size of the frame starting at `buf[off]` (without padding), or minus the number of header bytes
   * needed to know it. Throws on bytes that cannot start a frame.
   */
  private frameSize(buf: Buffer, off: number, available: number): number {
    const first = buf[off]!;
    if ((first & 0xc0) === 0x40) {
      if (first > this.maxChannelHigh) {
        throw new StunDecodeError('BAD_CHANNEL_NUMBER', `0x${first.toString(16)}xx`);
      }
      if (available < CHANNEL_PEEK) {
        return -CHANNEL_PEEK;
      }
      return CHANNEL_PEEK + buf.readUInt16BE(off + 2);
    }
    if ((first & 0xc0) !== 0) {
      throw new StunDecodeError('BAD_FRAME', `first byte 0x${first.toString(16)}`);
    }
    if (available < STUN_PEEK) {
      return -STUN_PEEK;
    }
    const length = buf.readUInt16BE(off + 2);
    if ((length & 3) !== 0) {
      throw new StunDecodeError('BAD_PADDING', `STUN length ${length}`);
    }
    if (buf.readUInt32BE(off + 4) !== MAGIC_COOKIE) {
      throw new StunDecodeError('BAD_COOKIE');
    }
    return HEADER_LENGTH + length;
  }

  /** Copies up to `max` bytes from the current chunk into `target[at..]`; returns how many. */
  private copy(chunk: Buffer, target: Buffer, at: number, max: number): number {
    const n = Math.min(max, chunk.length - this.pos, target.length - at);
    chunk.copy(target, at, this.pos, this.pos + n);
    this.pos += n;
    this.copiedBytes += n;
    return n;
  }

  private startPartial(size: number, prefix: Buffer | undefined): void {
    this.partialSize = size;
    this.partial = Buffer.allocUnsafe(size <= FIRST_CAPACITY ? size : FIRST_CAPACITY);
    this.partialLength = 0;
    if (prefix !== undefined) {
      prefix.copy(this.partial);
      this.copiedBytes += prefix.length;
      this.partialLength = prefix.length;
    }
  }

  /** Moves bytes of the current chunk into the partial frame, growing its buffer (doubling) when full. */
  private appendPartial(chunk: Buffer): void {
    let partial = this.partial!;
    const wanted = Math.min(this.partialSize - this.partialLength, chunk.length - this.pos);
    if (this.partialLength + wanted > partial.length) {
      // Doubling; straight to the full size once that is less than twice the doubled buffer.
      let capacity = Math.max(partial.length * 2, this.partialLength + wanted);
      if (capacity * 2 > this.partialSize) {
        capacity = this.partialSize;
      }
      const grown = Buffer.allocUnsafe(capacity);
      partial.copy(grown, 0, 0, this.partialLength);
      this.copiedBytes += this.partialLength;
      this.partial = partial = grown;
    }
    this.partialLength += this.copy(chunk, partial, this.partialLength, wanted);
  }

  private finishPartial(): Buffer {
    const frame = this.partial!;
    this.partial = undefined;
    this.partialLength = 0;
    this.partialSize = 0;
    return this.emit(frame);
  }

  /** Drops a consumed chunk from the queue (compacting it now and then, so a long queue costs linear time). */
  private shiftChunk(): void {
    this.queuedBytes -= this.queue[this.queueHead]!.length;
    this.queue[this.queueHead] = undefined;
    this.queueHead++;
    this.pos = 0;
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (this.queueHead >= COMPACT_AFTER && this.queueHead * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  /** Records the padding before the next frame. STUN sizes are multiples of 4 already. */
  private emit(frame: Buffer): Buffer {
    this.skip = (4 - (frame.length & 3)) & 3;
    return frame;
  }
}
