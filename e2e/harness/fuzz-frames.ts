/**
 * Deterministic generators of bad signaling frames: random bytes, broken JSON, wrong types, unknown
 * message types, oversize frames, binary frames, and valid-looking messages aimed at peers elsewhere.
 */
export type Frame = { text: string } | { binary: Buffer };

/** The seeded PRNG the fuzz scenarios draw from (a failing run replays with the same seed). */
export { prng } from '@rendezvous/common';

const TYPES = [
  'hello',
  'join',
  'leave',
  'signal',
  'media-state',
  'call',
  'call-accept',
  'call-reject',
  'call-cancel',
  'call-hangup',
  'nope',
  '',
  '__proto__',
];
const JUNK: unknown[] = [null, true, 0, -1, 1e308, '!x', '', [], {}, [1, 2], { a: 1 }, 'a'.repeat(300), '\u0000\u001f', -0.5];

export function badFrame(random: () => number, maxFrameBytes: number): Frame {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const kind = Math.floor(random() * 10);
  switch (kind) {
    case 0: {
      const bytes = Buffer.alloc(1 + Math.floor(random() * 200));
      for (let i = 0; i < bytes.length; i++) {
        bytes[i] = Math.floor(random() * 256);
      }
      return { text: bytes.toString('latin1') };
    }
    case 1:
      return { text: pick(['{', '{"type":', '[', '{"type":"join",}', 'undefined', 'NaN', '{"a":1}}', '"']) };
    case 2:
      return { text: JSON.stringify(pick(JUNK)) };
    case 3:
      return {
        text: JSON.stringify({
          type: pick(TYPES),
          room: pick(JUNK),
          to: pick(JUNK),
          callId: pick(JUNK),
          data: pick(JUNK),
          requestId: `r${Math.floor(random() * 1e6)}`,
        }),
      };
    case 4:
      return {
        text: JSON.stringify({
          type: 'join',
          room: pick(['', '~call-x', '../etc', 'a'.repeat(65), ' spaced ', 'ok room']),
          requestId: 'j1',
        }),
      };
    case 5:
      return {
        text: JSON.stringify({
          type: 'signal',
          to: pick(['AAAAAAAAAAAAAAAA', 'short', 'x'.repeat(65)]),
          data: { kind: 'description', description: { type: 'offer', sdp: 'v=0' } },
        }),
      };
    case 6:
      return { text: JSON.stringify({ type: 'media-state', media: { audioMuted: 'yes', videoMuted: 1 } }) };
    case 7:
      return { text: `{"type":"leave","pad":"${'p'.repeat(maxFrameBytes + 16)}"}` };
    case 8: {
      const bytes = Buffer.alloc(1 + Math.floor(random() * 64));
      for (let i = 0; i < bytes.length; i++) {
        bytes[i] = Math.floor(random() * 256);
      }
      return { binary: bytes };
    }
    default: {
      let nested = '0';
      for (let i = 0; i < 50 + Math.floor(random() * 500); i++) {
        nested = `[${nested}]`;
      }
      return { text: `{"type":"signal","to":${nested}}` };
    }
  }
}
