import type { ClientMessageOf } from '@rendezvous/protocol';

type Signal = ClientMessageOf<'signal'>;
type Obj = Record<string, unknown>;

/**
 * The `signal` frame checked by hand: the hot path of every call set-up. It accepts exactly what
 * `SignalSchema` (packages/protocol) accepts and returns what the schema returns (unknown keys dropped, keys in
 * the schema's order); signal-frame.test.ts holds it to that on valid and hostile input. Anything it does not
 * accept returns undefined and goes through the schema, which gives the error its wording.
 */

const PEER_ID = /^[A-Za-z0-9_-]{8,64}$/;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `z.string().max(max).nullable().optional()`: true when absent, null or a short enough string. */
function optionalText(value: unknown, max: number): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.length <= max);
}

function description(value: unknown): Signal['data'] | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  const { type, sdp } = value;
  if ((type !== 'offer' && type !== 'answer') || typeof sdp !== 'string' || sdp.length > 60_000) {
    return undefined;
  }
  return { kind: 'description', description: { type, sdp } };
}

function candidate(value: unknown): Signal['data'] | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  const { candidate: line, sdpMid, sdpMLineIndex, usernameFragment } = value;
  if (typeof line !== 'string' || line.length > 2048 || !optionalText(sdpMid, 64) || !optionalText(usernameFragment, 256)) {
    return undefined;
  }
  if (
    sdpMLineIndex !== undefined &&
    sdpMLineIndex !== null &&
    !(Number.isSafeInteger(sdpMLineIndex) && (sdpMLineIndex as number) >= 0 && (sdpMLineIndex as number) <= 1024)
  ) {
    return undefined;
  }
  const out: Obj = { candidate: line };
  if (sdpMid !== undefined) {
    out['sdpMid'] = sdpMid;
  }
  if (sdpMLineIndex !== undefined) {
    out['sdpMLineIndex'] = sdpMLineIndex;
  }
  if (usernameFragment !== undefined) {
    out['usernameFragment'] = usernameFragment;
  }
  return { kind: 'candidate', candidate: out as Extract<Signal['data'], { kind: 'candidate' }>['candidate'] };
}

function signalData(value: unknown): Signal['data'] | undefined {
  if (!isObject(value)) {
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
  if (!isObject(value) || value['type'] !== 'signal') {
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
