import { MAX_DIRECTORY_ID_LENGTH, type PeerjsClientMessage, type PeerjsServerMessage } from '@rendezvous/protocol';

/**
 * An OFFER or ANSWER exactly as the peerjs client sends one, checked on its text and not parsed: its sdp (nearly
 * all of its bytes) is relayed as the client wrote it, so it costs neither JSON.parse nor JSON.stringify. The form:
 * no whitespace; `type`, then `dst` and `payload` in either order; a payload of `sdp` ({type, sdp}), `type`,
 * `connectionId`, then only unknown keys with short plain strings (peerjs's `browser`); ids without escapes.
 * It accepts only what PeerjsClientMessageSchema accepts, and the payload's text parses to what the schema returns
 * (the known keys first, in its order); raw-description.test.ts holds it to that. Anything else is parsed as before.
 */

const ID = '[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*';
const SDP_START = '\\{"sdp":\\{"type":"(?:offer|answer)","sdp":"';
/** `{"type":"OFFER","dst":"…","payload":` then the sdp's opening quote; or the same without dst (it comes last). */
const HEAD = new RegExp(`^\\{"type":"(OFFER|ANSWER)",(?:"dst":"(${ID})",)?"payload":(${SDP_START})`);
/** After the sdp's closing quote: the rest of the payload but its closing brace. */
// eslint-disable-next-line no-control-regex -- JSON strings cannot hold raw control characters
const PAYLOAD_REST = /"\},"type":"(?:media|data)","connectionId":"[^"\\\u0000-\u001f]{1,64}"/y;
/** One unknown payload key with a short plain string. */
// eslint-disable-next-line no-control-regex -- JSON strings cannot hold raw control characters
const EXTRA = /,"([A-Za-z0-9_]{1,64})":"[^"\\\u0000-\u001f]{0,256}"/y;
const DST_LAST = new RegExp(`\\},"dst":"(${ID})"\\}$`, 'y');
/** Keys the schema knows in an OFFER or ANSWER payload (such a key among the unknown ones: left to the parser). */
const KNOWN = new Set(['sdp', 'type', 'connectionId', 'metadata', 'label', 'reliable', 'serialization', '__proto__']);
/** In the sdp's text up to its first quote: a control character, or a backslash that starts no JSON escape or ends it. */
// eslint-disable-next-line no-control-regex -- JSON strings cannot hold raw control characters
const NOT_PLAIN = /[\u0000-\u001f]|\\(?:[^\\/bfnrtu]|u(?![0-9A-Fa-f]{4})|$)/;

/** An OFFER or ANSWER checked on its text: `payloadJson` is its payload's JSON text, parsed only when read. */
export class RawDescription {
  private parsed: unknown;

  constructor(
    readonly type: 'OFFER' | 'ANSWER',
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

/** `text` as a RawDescription when it is an OFFER or ANSWER in the peerjs client's form the schema accepts; else undefined. */
export function checkDescriptionText(text: string): RawDescription | undefined {
  const head = HEAD.exec(text);
  if (head === null) {
    return undefined;
  }
  const sdpAt = head[0].length;
  const payloadAt = sdpAt - head[3]!.length;
  const quote = text.indexOf('"', sdpAt);
  // A longer raw sdp may still be short enough once its escapes are decoded: the parser decides.
  if (quote < 0 || quote - sdpAt > 60_000) {
    return undefined;
  }
  PAYLOAD_REST.lastIndex = quote;
  if (PAYLOAD_REST.exec(text) === null) {
    return undefined;
  }
  const payloadEnd = skipExtras(text, PAYLOAD_REST.lastIndex);
  if (payloadEnd < 0) {
    return undefined;
  }
  let dst = head[2];
  if (dst === undefined) {
    DST_LAST.lastIndex = payloadEnd;
    dst = DST_LAST.exec(text)?.[1];
  } else if (text.length !== payloadEnd + 2 || !text.endsWith('}}')) {
    return undefined;
  }
  if (dst === undefined || dst.length > MAX_DIRECTORY_ID_LENGTH || NOT_PLAIN.test(text.slice(sdpAt, quote))) {
    return undefined;
  }
  return new RawDescription(head[1] as 'OFFER' | 'ANSWER', dst, text.slice(payloadAt, payloadEnd + 1));
}

/** A relayed OFFER or ANSWER whose JSON text is spliced from the sender's frame. */
export class SplicedMessage {
  readonly text: string;

  constructor(
    readonly src: string,
    private readonly raw: RawDescription,
  ) {
    this.text = `{"type":"${raw.type}","src":${JSON.stringify(src)},"dst":${JSON.stringify(raw.dst)},"payload":${raw.payloadJson}}`;
  }

  get type(): 'OFFER' | 'ANSWER' {
    return this.raw.type;
  }

  /** The message as a plain object (what JSON.parse(text) gives). */
  message(): PeerjsServerMessage {
    return { type: this.raw.type, src: this.src, dst: this.raw.dst, payload: this.raw.payload };
  }
}
