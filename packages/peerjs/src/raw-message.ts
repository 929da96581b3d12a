import { MAX_DIRECTORY_ID_LENGTH, type PeerjsClientMessage, type PeerjsServerMessage } from '@rendezvous/protocol';

/**
 * An OFFER, ANSWER or CANDIDATE exactly as the peerjs client sends one, checked on its text and not parsed: its
 * payload is relayed as the client wrote it, so it costs neither JSON.parse nor JSON.stringify. The form: no
 * whitespace; `type`, then `dst` and `payload` in either order; a payload of `sdp` ({type, sdp}) or `candidate`
 * (RTCIceCandidateInit's keys in their order, no others), `type`, `connectionId`, then only unknown keys with short
 * plain strings (peerjs's `browser`); ids and strings but the sdp without escapes. It accepts only what
 * PeerjsClientMessageSchema accepts, and the payload's text parses to what the schema returns (the known keys first,
 * in its order); raw-message.test.ts holds it to that. Anything else is parsed as before.
 */

const ID = '[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*';
/** `{"type":"OFFER","dst":"…","payload":{`; or the same without dst (it then comes last). */
const HEAD = new RegExp(`^\\{"type":"(OFFER|ANSWER|CANDIDATE)",(?:"dst":"(${ID})",)?"payload":\\{`);
const SDP_START = /"sdp":\{"type":"(?:offer|answer)","sdp":"/y;
/** A character a JSON string may hold as itself (no quote, backslash or control character). */
const PLAIN = '[^"\\\\\\u0000-\\u001f]';
/** An integer from 0 to 1024, as JSON writes it. */
const INDEX = '(?:0|[1-9][0-9]{0,2}|10[01][0-9]|102[0-4])';
/** IceCandidateSchema's keys in its order, each but the first optional, strings without escapes. */
const CANDIDATE = new RegExp(
  `"candidate":\\{"candidate":"${PLAIN}{0,2048}"(?:,"sdpMid":(?:null|"${PLAIN}{0,64}"))?` +
    `(?:,"sdpMLineIndex":(?:null|${INDEX}))?(?:,"usernameFragment":(?:null|"${PLAIN}{0,256}"))?\\}`,
  'y',
);
/** After the description or the candidate: the connection's type and id. */
// eslint-disable-next-line no-control-regex -- JSON strings cannot hold raw control characters
const PAYLOAD_REST = /,"type":"(?:media|data)","connectionId":"[^"\\\u0000-\u001f]{1,64}"/y;
/** One unknown payload key with a short plain string. */
// eslint-disable-next-line no-control-regex -- JSON strings cannot hold raw control characters
const EXTRA = /,"([A-Za-z0-9_]{1,64})":"[^"\\\u0000-\u001f]{0,256}"/y;
const DST_LAST = new RegExp(`\\},"dst":"(${ID})"\\}$`, 'y');
/** Keys the schema knows in a payload (such a key among the unknown ones: left to the parser). */
const KNOWN = new Set([
  'sdp',
  'candidate',
  'type',
  'connectionId',
  'metadata',
  'label',
  'reliable',
  'serialization',
  '__proto__',
]);
/** In the sdp's text up to its first quote: a control character, or a backslash that starts no JSON escape or ends it. */
// eslint-disable-next-line no-control-regex -- JSON strings cannot hold raw control characters
const NOT_PLAIN = /[\u0000-\u001f]|\\(?:[^\\/bfnrtu]|u(?![0-9A-Fa-f]{4})|$)/;

/** An OFFER, ANSWER or CANDIDATE checked on its text: `payloadJson` is its payload's JSON text, parsed only when read. */
export class RawMessage {
  private parsed: unknown;

  constructor(
    readonly type: 'OFFER' | 'ANSWER' | 'CANDIDATE',
    readonly dst: string,
    readonly payloadJson: string,
  ) {}

  get payload(): unknown {
    return (this.parsed ??= JSON.parse(this.payloadJson) as unknown);
  }

  /** The message as the schema returns it (a plain object). */
  plain(): PeerjsClientMessage {
    return { type: this.type, dst: this.dst, payload: this.payload } as PeerjsClientMessage;
  }
}

/** The index just past the description or the candidate that opens the payload at `at`; -1 when it is not one. */
function skipFirst(type: RawMessage['type'], text: string, at: number): number {
  if (type === 'CANDIDATE') {
    CANDIDATE.lastIndex = at;
    return CANDIDATE.test(text) ? CANDIDATE.lastIndex : -1;
  }
  SDP_START.lastIndex = at;
  if (!SDP_START.test(text)) {
    return -1;
  }
  const sdpAt = SDP_START.lastIndex;
  const quote = text.indexOf('"', sdpAt);
  // A longer raw sdp may still be short enough once its escapes are decoded: the parser decides.
  if (quote < 0 || quote - sdpAt > 60_000 || text.charCodeAt(quote + 1) !== 0x7d || NOT_PLAIN.test(text.slice(sdpAt, quote))) {
    return -1;
  }
  return quote + 2;
}

/** The index just past the payload's unknown keys (from `at`), or -1 when one of them is a known key. */
function skipExtras(text: string, at: number): number {
  let end = at;
  for (;;) {
    EXTRA.lastIndex = end;
    const extra = EXTRA.exec(text);
    if (extra === null) {
      return end;
    }
    if (KNOWN.has(extra[1]!)) {
      return -1;
    }
    end = EXTRA.lastIndex;
  }
}

/** The index of the payload's closing brace, or -1 when the payload is not in the form above. */
function payloadEnd(type: RawMessage['type'], text: string, at: number): number {
  const first = skipFirst(type, text, at);
  if (first < 0) {
    return -1;
  }
  PAYLOAD_REST.lastIndex = first;
  return PAYLOAD_REST.test(text) ? skipExtras(text, PAYLOAD_REST.lastIndex) : -1;
}

/** `text` as a RawMessage when it is an OFFER, ANSWER or CANDIDATE in the form above; else undefined. */
export function checkMessageText(text: string): RawMessage | undefined {
  const head = HEAD.exec(text);
  if (head === null) {
    return undefined;
  }
  // The constant, not the matched copy: a map keyed by type (the metrics) then hashes nothing.
  const type = head[1] === 'OFFER' ? 'OFFER' : head[1] === 'ANSWER' ? 'ANSWER' : 'CANDIDATE';
  const payloadAt = head[0].length - 1;
  const end = payloadEnd(type, text, head[0].length);
  if (end < 0) {
    return undefined;
  }
  let dst = head[2];
  if (dst === undefined) {
    DST_LAST.lastIndex = end;
    dst = DST_LAST.exec(text)?.[1];
  } else if (text.length !== end + 2 || !text.endsWith('}}')) {
    return undefined;
  }
  if (dst === undefined || dst.length > MAX_DIRECTORY_ID_LENGTH) {
    return undefined;
  }
  return new RawMessage(type, dst, text.slice(payloadAt, end + 1));
}

/** A relayed OFFER, ANSWER or CANDIDATE whose JSON text is spliced from the sender's frame (its dst needs no escapes). */
export class SplicedMessage {
  readonly text: string;

  constructor(
    readonly src: string,
    private readonly raw: RawMessage,
  ) {
    this.text = `{"type":"${raw.type}","src":${JSON.stringify(src)},"dst":"${raw.dst}","payload":${raw.payloadJson}}`;
  }

  get type(): RawMessage['type'] {
    return this.raw.type;
  }

  /** The message as a plain object (what JSON.parse(text) gives). */
  message(): PeerjsServerMessage {
    return { type: this.raw.type, src: this.src, dst: this.raw.dst, payload: this.raw.payload };
  }
}
