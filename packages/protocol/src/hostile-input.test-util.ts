/**
 * Hostile-input generators shared by the tests that hold a hand-written fast path to its schema (the signal
 * frame in packages/signaling, the peerjs message in packages/peerjs): every valid base message, each of its
 * fields removed or replaced by every hostile value, and unknown keys beside every object.
 */

export type Json = Record<string, unknown>;

/** A string of `length` characters. */
export const text = (length: number): string => 'a'.repeat(length);

/** An array `depth` levels deep: JSON within MAX_JSON_DEPTH or past it. */
export function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) {
    value = [value];
  }
  return value;
}

/**
 * What a hostile client might put anywhere: wrong types, the edges of number and string limits (ids, labels,
 * candidates, SDPs), malformed ids, a lone surrogate, and nested shapes. Each test adds the words of its own
 * protocol (message types, kinds).
 */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  1.5,
  1024,
  1025,
  2 ** 53,
  Infinity,
  NaN,
  '',
  'x',
  'offer',
  'answer',
  text(7),
  text(8),
  text(32),
  text(33),
  text(64),
  text(65),
  text(256),
  text(257),
  text(2048),
  text(2049),
  text(60_000),
  text(60_001),
  'a b',
  'a  b',
  '-ab',
  'ab_',
  'AbCdEf!h1234',
  'AbCd Efgh',
  '\ud800',
  [],
  [1],
  {},
  { type: 'offer', sdp: '' },
  { candidate: '' },
  nested(32),
  nested(33),
];

/** Stands for "delete this key" in withValue. */
export const REMOVE = Symbol('remove');

/** Every path to a value inside `value` (objects only, not into arrays). */
export function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])]);
}

/** A copy of `base` with the value at `path` replaced by `value` (or removed, for REMOVE). */
export function withValue(base: Json, path: string[], value: unknown): Json {
  const copy = structuredClone(base);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) {
    node = node[key] as Json;
  }
  const last = path[path.length - 1];
  if (last === undefined) {
    return copy;
  }
  if (value === REMOVE) {
    delete node[last];
  } else {
    node[last] = value;
  }
  return copy;
}

/** `base` itself, then for every path in it: the key removed, every hostile value in its place, an unknown key beside it. */
export function* mutationsOf(base: Json, hostile: readonly unknown[]): Generator<Json> {
  yield base;
  for (const path of paths(base)) {
    yield withValue(base, path, REMOVE);
    for (const value of hostile) {
      yield withValue(base, path, value);
    }
    yield withValue(base, [...path.slice(0, -1), 'extra'], { nested: [1, 2] });
  }
}
