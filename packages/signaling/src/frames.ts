import { parseClientMessage, type ClientMessage, type ErrorCode } from '@rendezvous/protocol';
import type { RawData } from 'ws';
import { checkSignal, checkSignalText, RawSignal } from './signal-frame.js';

export type FrameResult =
  { ok: true; message: ClientMessage } | { ok: false; code: ErrorCode; detail: string; requestId?: string };

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) {
    return data;
  }
  if (Array.isArray(data)) {
    return Buffer.concat(data);
  }
  return Buffer.from(data);
}

// eslint-disable-next-line no-control-regex -- JSON strings cannot hold raw control characters
const REQUEST_ID = /"requestId"\s*:\s*"([^"\\\u0000-\u001f]{1,64})"/;

/**
 * Finds a requestId in a frame that will not be parsed (too large, rate limited, not JSON), so that the
 * error can still be matched to the request. A linear regex scan: no object is built from the frame.
 */
export function salvageRequestId(text: string): string | undefined {
  return REQUEST_ID.exec(text)?.[1];
}

/** How the SDK (and most clients) start a `signal` frame: those take the hand-checked path first. */
const SIGNAL_PREFIX = '{"type":"signal"';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Why a frame was refused: made only for bad frames (a good one decodes straight to its message). */
export class FrameError {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly requestId: string | undefined,
  ) {}
}

/**
 * Turns one WebSocket frame into a client message, or the error it deserves (a FrameError). Never throws. A
 * `signal` frame is checked by hand, a description in the SDK's form on its text (checkSignalText: a RawSignal,
 * its data parsed only if read), any other after JSON.parse (checkSignal), both with the schema's rules; whatever
 * those do not accept, and every other frame, goes through the protocol's schema.
 */
export function decodeMessage(data: RawData, isBinary: boolean, maxFrameBytes: number): ClientMessage | FrameError {
  if (isBinary) {
    return new FrameError('BINARY_NOT_SUPPORTED', 'binary frame', undefined);
  }
  const buffer = toBuffer(data);
  const text = buffer.toString('utf8');
  if (buffer.byteLength > maxFrameBytes) {
    return new FrameError(
      'FRAME_TOO_LARGE',
      `frame of ${buffer.byteLength} bytes exceeds ${maxFrameBytes}`,
      salvageRequestId(text),
    );
  }
  if (text.startsWith(SIGNAL_PREFIX)) {
    const raw = checkSignalText(text);
    if (raw !== undefined) {
      return raw;
    }
    const signal = checkSignal(parseJson(text));
    if (signal !== undefined) {
      return signal;
    }
  }
  const parsed = parseClientMessage(text);
  if (parsed.ok) {
    return parsed.message;
  }
  return new FrameError(parsed.code, parsed.detail, parsed.code === 'BAD_JSON' ? salvageRequestId(text) : parsed.requestId);
}

/** decodeMessage as a result object shaped like the protocol parser's (what the tests compare with it). */
export function decodeFrame(data: RawData, isBinary: boolean, maxFrameBytes: number): FrameResult {
  const decoded = decodeMessage(data, isBinary, maxFrameBytes);
  if (!(decoded instanceof FrameError)) {
    return { ok: true, message: decoded instanceof RawSignal ? decoded.plain() : decoded };
  }
  const { code, detail, requestId } = decoded;
  return { ok: false, code, detail, ...(requestId === undefined ? {} : { requestId }) };
}

/** The requestId of a frame about to be dropped unparsed (rate limiting). */
export function frameRequestId(data: RawData, isBinary: boolean): string | undefined {
  return isBinary ? undefined : salvageRequestId(toBuffer(data).toString('utf8'));
}
