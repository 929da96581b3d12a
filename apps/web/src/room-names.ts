/**
 * Readable random room names ("maple-otter-quiet-lamp") and guest names ("Brave Otter").
 * A room's name is all it takes to join it, so room names must not be guessable: four words drawn
 * uniformly from ROOM_WORDS give about 41.7 bits (MIN_ROOM_NAME_BITS is the floor the tests hold).
 */
import { RoomNameSchema } from '@rendezvous/protocol';
import { t } from './i18n/index.js';
import { ROOM_WORDS } from './room-words.js';

/** Words in a random room name. */
export const ROOM_NAME_WORDS = 4;
/** The least randomness a random room name may carry: enumerating 2^40 names is out of reach. */
export const MIN_ROOM_NAME_BITS = 40;
/** Bits of randomness in a name from randomRoomName(). */
export const ROOM_NAME_BITS = ROOM_NAME_WORDS * Math.log2(ROOM_WORDS.length);

const ADJECTIVES = [
  'amber',
  'bold',
  'brave',
  'bright',
  'calm',
  'clever',
  'cosmic',
  'crisp',
  'curious',
  'dapper',
  'eager',
  'fancy',
  'fluffy',
  'gentle',
  'glad',
  'golden',
  'grand',
  'happy',
  'humble',
  'jolly',
  'keen',
  'kind',
  'lively',
  'lucky',
  'mellow',
  'merry',
  'mighty',
  'misty',
  'noble',
  'plucky',
  'polite',
  'proud',
  'quick',
  'quiet',
  'rapid',
  'rosy',
  'shiny',
  'silent',
  'silver',
  'sleek',
  'snowy',
  'sunny',
  'swift',
  'tidy',
  'tiny',
  'velvet',
  'vivid',
  'warm',
  'wise',
  'witty',
] as const;

const NOUNS = [
  'acorn',
  'anchor',
  'badger',
  'beacon',
  'breeze',
  'canyon',
  'cedar',
  'comet',
  'coral',
  'cricket',
  'falcon',
  'fern',
  'fjord',
  'garden',
  'harbor',
  'heron',
  'island',
  'kettle',
  'lamp',
  'lantern',
  'maple',
  'meadow',
  'meteor',
  'moose',
  'nebula',
  'orbit',
  'otter',
  'owl',
  'panda',
  'pebble',
  'pepper',
  'pine',
  'planet',
  'puffin',
  'quartz',
  'raven',
  'river',
  'rocket',
  'saddle',
  'sparrow',
  'spruce',
  'teapot',
  'thistle',
  'tiger',
  'tulip',
  'valley',
  'walrus',
  'willow',
  'wombat',
  'zephyr',
] as const;

/** A uniform integer in [0, n), from the browser's CSPRNG; rejection sampling keeps it free of modulo bias. */
export function randomIndex(n: number, random: (out: Uint32Array) => Uint32Array = (out) => crypto.getRandomValues(out)): number {
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) {
    throw new RangeError(`randomIndex: n must be an integer in [1, 2^32], got ${n}`);
  }
  // The largest multiple of n that fits in 32 bits: values at or above it would favour small results.
  const limit = 2 ** 32 - (2 ** 32 % n);
  const buffer = new Uint32Array(1);
  for (;;) {
    const value = random(buffer)[0] ?? 0;
    if (value < limit) {
      return value % n;
    }
  }
}

function pick<T>(list: readonly T[]): T {
  return list[randomIndex(list.length)] as T;
}

/** Four random words joined by "-" ("maple-otter-quiet-lamp"): about 41.7 bits, at most 27 characters, always a valid RoomNameSchema name. */
export function randomRoomName(): string {
  return Array.from({ length: ROOM_NAME_WORDS }, () => pick(ROOM_WORDS)).join('-');
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** A friendly placeholder name for people who did not type one. */
export function randomGuestName(): string {
  return `${capitalize(pick(ADJECTIVES))} ${capitalize(pick(NOUNS))}`;
}

/** Why `name` is not a valid room name (the protocol's RoomNameSchema), or null when it is. */
export function roomNameProblem(name: string): string | null {
  if (name.length === 0) {
    return t('roomName.empty');
  }
  if (name.length > 64) {
    return t('roomName.tooLong', { max: 64 });
  }
  if (!/^[A-Za-z0-9]/.test(name)) {
    return t('roomName.start');
  }
  if (!RoomNameSchema.safeParse(name).success) {
    return t('roomName.chars');
  }
  return null;
}
