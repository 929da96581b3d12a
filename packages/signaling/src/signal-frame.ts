import { checkCandidate, checkDescription, isPlainObject, type ClientMessageOf } from '@rendezvous/protocol';

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
