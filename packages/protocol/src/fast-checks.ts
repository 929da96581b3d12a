/**
 * Hand-written checks of the shapes every call set-up sends, for the servers' hot paths: each accepts exactly
 * what its schema in primitives.ts accepts and returns what the schema returns (unknown keys dropped, keys in
 * the schema's order). The tests beside their users (signaling's signal-frame.test.ts, peerjs's
 * fast-message.test.ts) hold them to that on valid and hostile input.
 */

type Obj = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `z.string().max(max).nullable().optional()`: true when absent, null or a short enough string. */
function optionalText(value: unknown, max: number): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.length <= max);
}

/** SessionDescriptionSchema, or undefined when `value` does not match it. */
export function checkDescription(value: unknown): { type: 'offer' | 'answer'; sdp: string } | undefined {
  if (!isPlainObject(value)) {
    return undefined;
  }
  const { type, sdp } = value;
  if ((type !== 'offer' && type !== 'answer') || typeof sdp !== 'string' || sdp.length > 60_000) {
    return undefined;
  }
  return { type, sdp };
}

/** IceCandidateSchema, or undefined when `value` does not match it. */
export function checkCandidate(value: unknown): { candidate: string } | undefined {
  if (!isPlainObject(value)) {
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
  const out: Obj & { candidate: string } = { candidate: line };
  if (sdpMid !== undefined) {
    out['sdpMid'] = sdpMid;
  }
  if (sdpMLineIndex !== undefined) {
    out['sdpMLineIndex'] = sdpMLineIndex;
  }
  if (usernameFragment !== undefined) {
    out['usernameFragment'] = usernameFragment;
  }
  return out;
}
