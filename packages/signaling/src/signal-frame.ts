import {
  checkCandidate,
  checkDescription,
  isPlainObject,
  type ClientMessageOf,
  type ServerMessageOf,
} from '@rendezvous/protocol';
import { SerializedMessage } from './serialized-message.js';

type Signal = ClientMessageOf<'signal'>;

/**
 * The `signal` frame checked by hand: the hot path of every call set-up. It accepts exactly what
 * `SignalSchema` (packages/protocol) accepts and returns what the schema returns (unknown keys dropped, keys in
 * the schema's order); signal-frame.test.ts holds it to that on valid and hostile input. Anything it does not
 * accept returns undefined and goes through the schema, which gives the error its wording.
 */

const PEER_ID = /^[A-Za-z0-9_-]{8,64}$/;

function description(value: unknown): Signal['data'] | undefined {
  const checked = checkDescription(value);
  return checked === undefined ? undefined : { kind: 'description', description: checked };
}

function candidate(value: unknown): Signal['data'] | undefined {
  const checked = checkCandidate(value);
  return checked === undefined ? undefined : { kind: 'candidate', candidate: checked };
}

function signalData(value: unknown): Signal['data'] | undefined {
  if (!isPlainObject(value)) {
    return undefined;
  }
  switch (value['kind']) {
    case 'description':
      return description(value['description']);
    case 'candidate':
      return candidate(value['candidate']);
    case 'reset':
      return { kind: 'reset' };
    default:
      return undefined;
  }
}

/** The signal message `value` (parsed JSON) is, as SignalSchema would return it; undefined for anything else. */
export function checkSignal(value: unknown): Signal | undefined {
  if (!isPlainObject(value) || value['type'] !== 'signal') {
    return undefined;
  }
  const { to, requestId } = value;
  if (typeof to !== 'string' || !PEER_ID.test(to)) {
    return undefined;
  }
  if (requestId !== undefined && (typeof requestId !== 'string' || requestId.length < 1 || requestId.length > 64)) {
    return undefined;
  }
  const data = signalData(value['data']);
  if (data === undefined) {
    return undefined;
  }
  return requestId === undefined ? { type: 'signal', to, data } : { type: 'signal', to, data, requestId };
}

/**
 * A description `signal` frame exactly as the SDK sends one: these keys in this order, no whitespace, and `to`
 * and `requestId` without escapes. Such a frame is checked on its text and not parsed (see checkSignalText).
 */
const DESCRIPTION_HEAD =
  /^\{"type":"signal","to":"([A-Za-z0-9_-]{8,64})","data":\{"kind":"description","description":\{"type":"(?:offer|answer)","sdp":"/;
const DATA_AT = '{"type":"signal","to":"'.length + '","data":'.length;
/** What follows the sdp's closing quote: the ends of description and data, a plain requestId maybe, the end. */
// eslint-disable-next-line no-control-regex -- JSON strings cannot hold raw control characters
const TAIL = /"\}\}(?:,"requestId":"([^"\\\u0000-\u001f]{1,64})")?\}$/y;
/**
 * In the sdp's text up to its first quote: a control character, or a backslash that starts no JSON escape or
 * is the last character (the quote is then escaped: the frame is left to the parser). No quote inside at all.
 */
// eslint-disable-next-line no-control-regex -- JSON strings cannot hold raw control characters
const NOT_PLAIN = /[\u0000-\u001f]|\\(?:[^\\/bfnrtu]|u(?![0-9A-Fa-f]{4})|$)/;

/** A description `signal` checked on its text: `dataJson` is the JSON text of its `data`, parsed only when read. */
export class RawSignal {
  readonly type = 'signal' as const;
  private parsed: Signal['data'] | undefined;

  constructor(
    readonly to: string,
    /** `{"kind":"description","description":{"type":…,"sdp":…}}`, as the schema would give it back. */
    readonly dataJson: string,
    readonly requestId: string | undefined,
  ) {}

  get data(): Signal['data'] {
    return (this.parsed ??= JSON.parse(this.dataJson) as Signal['data']);
  }

  /** The message as SignalSchema returns it (a plain object). */
  plain(): Signal {
    const { to, data, requestId } = this;
    return requestId === undefined ? { type: 'signal', to, data } : { type: 'signal', to, data, requestId };
  }
}

/**
 * The frame `text` as a RawSignal when it is a description in the SDK's form that SignalSchema accepts; undefined
 * for anything else, which is then parsed (checkSignal, the schema). Its sdp is relayed as the client wrote it (the
 * same string once parsed), so a relayed description costs neither JSON.parse nor JSON.stringify of the sdp.
 */
export function checkSignalText(text: string): RawSignal | undefined {
  const head = DESCRIPTION_HEAD.exec(text);
  if (head === null) {
    return undefined;
  }
  const start = head[0].length;
  const end = text.indexOf('"', start);
  // A longer raw sdp may still be short enough once its escapes are decoded: the parser decides.
  if (end < 0 || end - start > 60_000) {
    return undefined;
  }
  let requestId: string | undefined;
  if (text.length !== end + 4 || !text.endsWith('"}}}')) {
    TAIL.lastIndex = end;
    const tail = TAIL.exec(text);
    if (tail === null || tail[1] === undefined) {
      return undefined;
    }
    requestId = tail[1];
  }
  if (NOT_PLAIN.test(text.slice(start, end))) {
    return undefined;
  }
  const to = head[1]!;
  return new RawSignal(to, text.slice(DATA_AT + to.length, end + 3), requestId);
}

/** A relayed signal whose JSON text is spliced from the sender's frame; made into an object only when queued. */
export class RelayedSignal extends SerializedMessage<ServerMessageOf<'signal'>> {
  constructor(from: string, signal: RawSignal) {
    super(`{"type":"signal","from":${JSON.stringify(from)},"data":${signal.dataJson}}`, () => ({
      type: 'signal',
      from,
      data: signal.data,
    }));
  }
}
