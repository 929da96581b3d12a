import {
  checkCandidate,
  checkDescription,
  isJsonWithin,
  isPlainObject,
  MAX_DIRECTORY_ID_LENGTH,
  MAX_JSON_DEPTH,
  type PeerjsClientMessage,
} from '@rendezvous/protocol';

type Obj = Record<string, unknown>;

/**
 * HEARTBEAT, OFFER, ANSWER and CANDIDATE checked by hand: nearly every frame a peerjs client sends. It accepts
 * exactly what PeerjsClientMessageSchema (packages/protocol) accepts for these types and returns what the schema
 * returns: unknown keys dropped from the message, the description and the candidate, kept (after the known ones,
 * in their order) in the loose payloads. fast-message.test.ts holds it to that on valid and hostile input.
 * Anything else (LEAVE, EXPIRE, a `__proto__` key in a payload, whatever it refuses) returns undefined and goes
 * through the schema.
 */

/** DirectoryIdSchema's pattern. */
const DIRECTORY_ID = /^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$/;

const HEARTBEAT: PeerjsClientMessage = Object.freeze({ type: 'HEARTBEAT' });

function isDirectoryId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_DIRECTORY_ID_LENGTH && DIRECTORY_ID.test(value);
}

/** `z.string().min(min).max(max)`. */
function isText(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

/** The optional fields of an OFFER payload, in the schema's order, and whether a value is valid for each. */
const OFFER_OPTIONAL: Array<[string, (value: unknown) => boolean]> = [
  ['metadata', (value) => isJsonWithin(value, MAX_JSON_DEPTH)],
  ['label', (value) => typeof value === 'string' && value.length <= 256],
  ['reliable', (value) => typeof value === 'boolean'],
  ['serialization', (value) => isText(value, 1, 32)],
];

const KNOWN: Record<'OFFER' | 'ANSWER' | 'CANDIDATE', ReadonlySet<string>> = {
  OFFER: new Set(['sdp', 'type', 'connectionId', ...OFFER_OPTIONAL.map(([key]) => key)]),
  ANSWER: new Set(['sdp', 'type', 'connectionId']),
  CANDIDATE: new Set(['candidate', 'type', 'connectionId']),
};

/** An OFFER, ANSWER or CANDIDATE payload (a loose object: unknown keys follow the known ones). */
function payload(kind: 'OFFER' | 'ANSWER' | 'CANDIDATE', value: unknown): Obj | undefined {
  if (!isPlainObject(value)) {
    return undefined;
  }
  const { type, connectionId } = value;
  const first = kind === 'CANDIDATE' ? checkCandidate(value['candidate']) : checkDescription(value['sdp']);
  if (first === undefined || (type !== 'media' && type !== 'data') || !isText(connectionId, 1, 64)) {
    return undefined;
  }
  const out: Obj = kind === 'CANDIDATE' ? { candidate: first, type, connectionId } : { sdp: first, type, connectionId };
  if (kind === 'OFFER') {
    for (const [key, valid] of OFFER_OPTIONAL) {
      const field = value[key];
      if (field !== undefined) {
        if (!valid(field)) {
          return undefined;
        }
        out[key] = field;
      }
    }
  }
  const known = KNOWN[kind];
  // for…in: no array of keys per message (parsed JSON has own, enumerable keys only).
  for (const key in value) {
    if (!known.has(key)) {
      if (key === '__proto__') {
        return undefined;
      }
      out[key] = value[key];
    }
  }
  return out;
}

/** The message `value` (parsed JSON) is, as PeerjsClientMessageSchema would return it; undefined otherwise. */
export function checkPeerjsMessage(value: unknown): PeerjsClientMessage | undefined {
  if (!isPlainObject(value)) {
    return undefined;
  }
  const type = value['type'];
  if (type === 'HEARTBEAT') {
    return HEARTBEAT;
  }
  if (type !== 'OFFER' && type !== 'ANSWER' && type !== 'CANDIDATE') {
    return undefined;
  }
  const dst = value['dst'];
  if (!isDirectoryId(dst)) {
    return undefined;
  }
  const checked = payload(type, value['payload']);
  return checked === undefined ? undefined : ({ type, dst, payload: checked } as PeerjsClientMessage);
}
