import { MAX_RELAY_DATA_CHARS } from '@rendezvous/protocol';
import { fromBase64Url, toBase64Url } from '../pairing/blob-bytes.js';

/** One piece of a frame as it goes on the wire: text, or base64url (no padding) of binary. */
export interface RelayPiece {
  data: string;
  bin: boolean;
  /** More pieces of the same frame follow. */
  more: boolean;
}

/** Text pieces stay under this many UTF-16 units, so even a piece of escapes fits a WebSocket frame. */
const TEXT_PIECE_CHARS = 8 * 1024;
/** Binary pieces: this many bytes (a multiple of 3, so pieces join without padding) make MAX_RELAY_DATA_CHARS at most. */
const BINARY_PIECE_BYTES = Math.floor(MAX_RELAY_DATA_CHARS / 4) * 3;

/** Splits a frame into the pieces the server relays (one piece for anything small). */
export function toPieces(data: string | Uint8Array): RelayPiece[] {
  const pieces: RelayPiece[] = [];
  if (typeof data === 'string') {
    for (let at = 0; at < data.length || at === 0; at += TEXT_PIECE_CHARS) {
      pieces.push({ data: data.slice(at, at + TEXT_PIECE_CHARS), bin: false, more: true });
    }
  } else {
    for (let at = 0; at < data.byteLength || at === 0; at += BINARY_PIECE_BYTES) {
      pieces.push({ data: toBase64Url(data.subarray(at, at + BINARY_PIECE_BYTES)), bin: true, more: true });
    }
  }
  (pieces[pieces.length - 1] as RelayPiece).more = false;
  return pieces;
}

/**
 * Joins the pieces of one sender's frames, per channel. A frame that grows past `maxChars` (of text or base64), or
 * whose pieces mix text and binary, is dropped: the result is then null for its last piece.
 */
export class PieceAssembler {
  readonly #maxChars: number;
  readonly #pending = new Map<string, { parts: string[]; chars: number; bin: boolean; broken: boolean }>();

  constructor(maxChars: number) {
    this.#maxChars = maxChars;
  }

  /** Adds a piece; returns the whole frame after its last piece, undefined while more are due, null when dropped. */
  add(channel: string, piece: RelayPiece): string | ArrayBuffer | null | undefined {
    let frame = this.#pending.get(channel);
    if (frame === undefined) {
      if (!piece.more) {
        return piece.bin ? binary(piece.data) : piece.data;
      }
      frame = { parts: [], chars: 0, bin: piece.bin, broken: false };
      this.#pending.set(channel, frame);
    }
    frame.chars += piece.data.length;
    frame.broken ||= frame.bin !== piece.bin || frame.chars > this.#maxChars;
    if (!frame.broken) {
      frame.parts.push(piece.data);
    } else {
      frame.parts.length = 0;
    }
    if (piece.more) {
      return undefined;
    }
    this.#pending.delete(channel);
    if (frame.broken) {
      return null;
    }
    return frame.bin ? binary(frame.parts.join('')) : frame.parts.join('');
  }

  /** Forgets a channel's partial frame (the channel closed). */
  forget(channel: string): void {
    this.#pending.delete(channel);
  }
}

/** The bytes of base64url `text` as an ArrayBuffer of their own; null when it is not base64url. */
function binary(text: string): ArrayBuffer | null {
  const bytes = fromBase64Url(text);
  return bytes === null ? null : bytes.slice().buffer;
}
