import { randomInt } from 'node:crypto';

/** A random SSRC (RFC 3550 §8.1), never 0. */
export function randomSsrc(): number {
  return randomInt(1, 0xffffffff);
}
