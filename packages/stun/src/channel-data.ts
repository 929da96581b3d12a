/**
 * ChannelData messages (RFC 8656 §12.4, https://www.rfc-editor.org/rfc/rfc8656#section-12.4): relayed data with
 * a 4-byte header instead of a Send/Data indication.
 *
 *    |         Channel Number        |            Length             |
 *    |                       Application Data                        |
 *
 * The first two bits are 01 (channel numbers 0x4000-0x4FFF), which tells ChannelData from STUN (00). Over UDP
 * the message need not be padded; over TCP and TLS it is padded to a multiple of 4 bytes (§12.5), and the
 * padding is not counted in Length.
 */
import { StunDecodeError, StunEncodeError } from './errors.js';
import { asBuffer } from './message.js';

export const CHANNEL_DATA_HEADER_LENGTH = 4;
export const MIN_CHANNEL_NUMBER = 0x4000;
export const MAX_CHANNEL_NUMBER = 0x4fff;

export interface ChannelData {
  channel: number;
  /** The application data: a view of the input, not a copy. */
  data: Buffer;
}

/** True for 0x4000-0x4FFF, the channel numbers a client may bind (RFC 8656 §12). */
export function isValidChannelNumber(channel: number): boolean {
  return Number.isInteger(channel) && channel >= MIN_CHANNEL_NUMBER && channel <= MAX_CHANNEL_NUMBER;
}

/**
 * Quick demultiplexing check for a UDP datagram: a valid channel number and a length that fits the datagram
 * (with at most 3 bytes of padding after it).
 */
export function isChannelData(input: Uint8Array): boolean {
  if (input.length < CHANNEL_DATA_HEADER_LENGTH || (input[0]! & 0xf0) !== 0x40) {
    return false;
  }
  const extra = input.length - CHANNEL_DATA_HEADER_LENGTH - ((input[2]! << 8) | input[3]!);
  return extra >= 0 && extra <= 3;
}

/**
 * Decodes a ChannelData message (a UDP datagram, or a frame from `StreamFramer`). Up to 3 padding bytes after
 * the data are allowed and ignored. Throws only `StunDecodeError`.
 */
export function decodeChannelData(input: Uint8Array): ChannelData {
  const buf = asBuffer(input);
  if (buf.length < CHANNEL_DATA_HEADER_LENGTH) {
    throw new StunDecodeError('TOO_SHORT', `${buf.length} bytes`);
  }
  const channel = buf.readUInt16BE(0);
  if (!isValidChannelNumber(channel)) {
    throw new StunDecodeError('BAD_CHANNEL_NUMBER', `0x${channel.toString(16).padStart(4, '0')}`);
  }
  const length = buf.readUInt16BE(2);
  const extra = buf.length - CHANNEL_DATA_HEADER_LENGTH - length;
  if (extra < 0 || extra > 3) {
    throw new StunDecodeError('BAD_LENGTH', `length field ${length}, ${buf.length - CHANNEL_DATA_HEADER_LENGTH} bytes follow`);
  }
  return { channel, data: buf.subarray(CHANNEL_DATA_HEADER_LENGTH, CHANNEL_DATA_HEADER_LENGTH + length) };
}

/**
 * Encodes a ChannelData message: header and a copy of `data`. With `pad` (for TCP and TLS), zero bytes are
 * appended up to a multiple of 4.
 */
export function encodeChannelData(channel: number, data: Uint8Array, pad = false): Buffer {
  if (!isValidChannelNumber(channel)) {
    throw new StunEncodeError('BAD_VALUE', `channel number ${channel}`);
  }
  if (data.length > 0xffff) {
    throw new StunEncodeError('VALUE_TOO_LONG', `${data.length} bytes of data`);
  }
  const length = CHANNEL_DATA_HEADER_LENGTH + data.length;
  const total = pad ? (length + 3) & ~3 : length;
  const out = Buffer.allocUnsafe(total);
  writeChannelDataHeader(out, 0, channel, data.length);
  out.set(data, CHANNEL_DATA_HEADER_LENGTH);
  out.fill(0, length, total);
  return out;
}

/**
 * Writes just the 4-byte header at `offset`, for a caller that places the data itself (for example after
 * receiving it straight into the buffer behind the header). Does not validate.
 */
export function writeChannelDataHeader(target: Uint8Array, offset: number, channel: number, length: number): void {
  target[offset] = channel >>> 8;
  target[offset + 1] = channel & 0xff;
  target[offset + 2] = length >>> 8;
  target[offset + 3] = length & 0xff;
}
