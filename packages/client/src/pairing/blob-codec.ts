/**
 * The pairing blob: one session description as short text for copy and paste or a QR code.
 *
 * Text: `RZP1` (format version 1) + base64url (no padding) of these bytes:
 *
 *   0      kind: 0x4F 'O' offer, 0x41 'A' answer
 *   1      flags: bit 0 = payload is deflate-raw
 *   2..5   creation time, seconds since 1970, big-endian
 *   6..9   tag: a random number naming the invitation; an answer carries its offer's tag
 *   10..11 payload length, big-endian
 *   12..   payload: the description's SDP, compacted (sdp-compact.ts) and compressed
 *   last 4 CRC-32 of every byte before it
 *
 * Decoding never fails silently: each problem is a PairingError (see pairing-errors.ts).
 */
import { RendezvousError } from '@rendezvous/protocol';
import { crc32, fromBase64Url, toBase64Url } from './blob-bytes.js';
import { canDeflate, deflateRaw, inflateRaw } from './deflate.js';
import { pairingError } from './pairing-errors.js';
import { compactSdp, expandSdp } from './sdp-compact.js';

export type PairingBlobKind = 'offer' | 'answer';

export interface PairingBlob {
  kind: PairingBlobKind;
  /** The session description's SDP. */
  sdp: string;
  /** When it was made (ms since 1970; kept to the second). */
  createdAt: number;
  /** Names the invitation (uint32): an answer carries its offer's tag. */
  tag: number;
}

export interface DecodeOptions {
  /** The kind the caller wants (PAIRING_WRONG_KIND otherwise). */
  expect?: PairingBlobKind;
  /** The tag an answer must carry (PAIRING_MISMATCH otherwise). */
  tag?: number;
  /** The clock (default Date.now). */
  now?: () => number;
  /** Older than this is PAIRING_STALE (default PAIRING_MAX_AGE_MS). */
  maxAgeMs?: number;
}

export const PAIRING_BLOB_PREFIX = 'RZP1';
/** Blobs older than this are refused: the page that made them has likely moved on. */
export const PAIRING_MAX_AGE_MS = 15 * 60_000;
/** Longer text is refused before decoding. */
export const MAX_PAIRING_BLOB_CHARS = 16_384;
const MAX_SDP_BYTES = 60_000;
const HEADER = 12;
const KIND_BYTE: Record<PairingBlobKind, number> = { offer: 0x4f, answer: 0x41 };
const FLAG_DEFLATE = 1;

export async function encodePairingBlob(blob: PairingBlob, options: { compress?: boolean } = {}): Promise<string> {
  const raw = new TextEncoder().encode(compactSdp(blob.sdp));
  const compress = options.compress ?? canDeflate();
  const payload = compress ? await deflateRaw(raw) : raw;
  if (payload.length > 0xffff) {
    throw new RendezvousError('DATA_TOO_LARGE', 'The session description is too large for a pairing code.');
  }
  const bytes = new Uint8Array(HEADER + payload.length + 4);
  const view = new DataView(bytes.buffer);
  bytes[0] = KIND_BYTE[blob.kind];
  bytes[1] = compress ? FLAG_DEFLATE : 0;
  view.setUint32(2, Math.floor(blob.createdAt / 1000));
  view.setUint32(6, blob.tag >>> 0);
  view.setUint16(10, payload.length);
  bytes.set(payload, HEADER);
  view.setUint32(HEADER + payload.length, crc32(bytes.subarray(0, HEADER + payload.length)));
  return PAIRING_BLOB_PREFIX + toBase64Url(bytes);
}

interface Frame {
  kind: PairingBlobKind;
  deflated: boolean;
  createdAt: number;
  tag: number;
  payload: Uint8Array;
}

/** The bytes after the prefix, or the error for text that is not (all of) a blob. */
function bodyOf(text: string): Uint8Array {
  if (text === '') {
    throw pairingError('PAIRING_MALFORMED', 'empty');
  }
  if (text.length > MAX_PAIRING_BLOB_CHARS) {
    throw pairingError('PAIRING_MALFORMED', 'too-long', { length: text.length, max: MAX_PAIRING_BLOB_CHARS });
  }
  if (text.length < PAIRING_BLOB_PREFIX.length && PAIRING_BLOB_PREFIX.startsWith(text)) {
    throw pairingError('PAIRING_TRUNCATED', 'header');
  }
  if (!text.startsWith('RZP')) {
    throw pairingError('PAIRING_MALFORMED', 'prefix');
  }
  if (!text.startsWith(PAIRING_BLOB_PREFIX)) {
    throw pairingError('PAIRING_MALFORMED', 'version', { version: text.slice(3, 4) });
  }
  const body = fromBase64Url(text.slice(PAIRING_BLOB_PREFIX.length));
  if (body === null) {
    throw pairingError('PAIRING_MALFORMED', 'alphabet');
  }
  return body;
}

function parseFrame(body: Uint8Array): Frame {
  if (body.length < HEADER + 4) {
    throw pairingError('PAIRING_TRUNCATED', 'header', { bytes: body.length });
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const end = HEADER + view.getUint16(10);
  if (body.length < end + 4) {
    throw pairingError('PAIRING_TRUNCATED', 'body', { bytes: body.length, expected: end + 4 });
  }
  if (body.length > end + 4) {
    throw pairingError('PAIRING_MALFORMED', 'trailing', { bytes: body.length, expected: end + 4 });
  }
  if (view.getUint32(end) !== crc32(body.subarray(0, end))) {
    throw pairingError('PAIRING_MALFORMED', 'checksum');
  }
  const kind = body[0] === KIND_BYTE.offer ? 'offer' : body[0] === KIND_BYTE.answer ? 'answer' : null;
  const flags = body[1]!;
  if (kind === null || (flags & ~FLAG_DEFLATE) !== 0) {
    throw pairingError('PAIRING_MALFORMED', kind === null ? 'kind' : 'flags');
  }
  return {
    kind,
    deflated: (flags & FLAG_DEFLATE) !== 0,
    createdAt: view.getUint32(2) * 1000,
    tag: view.getUint32(6),
    payload: body.subarray(HEADER, end),
  };
}

function checkFrame(frame: Frame, options: DecodeOptions): void {
  if (options.expect !== undefined && frame.kind !== options.expect) {
    throw pairingError('PAIRING_WRONG_KIND', frame.kind, { expected: options.expect, got: frame.kind });
  }
  if (options.tag !== undefined && frame.tag !== options.tag >>> 0) {
    throw pairingError('PAIRING_MISMATCH', 'tag');
  }
  const maxAgeMs = options.maxAgeMs ?? PAIRING_MAX_AGE_MS;
  const ageMs = (options.now ?? Date.now)() - frame.createdAt;
  if (ageMs > maxAgeMs || -ageMs > maxAgeMs) {
    const detail = { ageSeconds: Math.round(ageMs / 1000), maxAgeSeconds: Math.round(maxAgeMs / 1000) };
    throw pairingError('PAIRING_STALE', ageMs > 0 ? 'old' : 'future', detail);
  }
}

async function sdpOf(frame: Frame): Promise<string> {
  let raw = frame.payload;
  if (frame.deflated) {
    if (typeof DecompressionStream !== 'function') {
      throw new RendezvousError('UNSUPPORTED_BROWSER', 'This browser cannot decompress the pairing code (DecompressionStream).');
    }
    try {
      raw = await inflateRaw(raw, MAX_SDP_BYTES);
    } catch {
      throw pairingError('PAIRING_MALFORMED', 'inflate');
    }
  }
  let sdp: string;
  try {
    sdp = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw pairingError('PAIRING_MALFORMED', 'text');
  }
  if (!sdp.startsWith('v=0\n') || raw.length > MAX_SDP_BYTES) {
    throw pairingError('PAIRING_MALFORMED', 'sdp');
  }
  return expandSdp(sdp);
}

/** Reads a blob (whitespace anywhere is ignored: line breaks from e-mail or chat). Throws a PairingError. */
export async function decodePairingBlob(text: string, options: DecodeOptions = {}): Promise<PairingBlob> {
  const frame = parseFrame(bodyOf(text.replace(/\s+/g, '')));
  checkFrame(frame, options);
  return { kind: frame.kind, sdp: await sdpOf(frame), createdAt: frame.createdAt, tag: frame.tag };
}
