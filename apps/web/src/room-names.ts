/** Readable random room names ("brave-otter-lamp") and guest names ("Brave Otter"). */
import { RoomNameSchema } from '@rendezvous/protocol';

const ADJECTIVES = [
  'amber', 'bold', 'brave', 'bright', 'calm', 'clever', 'cosmic', 'crisp', 'curious', 'dapper',
  'eager', 'fancy', 'fluffy', 'gentle', 'glad', 'golden', 'grand', 'happy', 'humble', 'jolly',
  'keen', 'kind', 'lively', 'lucky', 'mellow', 'merry', 'mighty', 'misty', 'noble', 'plucky',
  'polite', 'proud', 'quick', 'quiet', 'rapid', 'rosy', 'shiny', 'silent', 'silver', 'sleek',
  'snowy', 'sunny', 'swift', 'tidy', 'tiny', 'velvet', 'vivid', 'warm', 'wise', 'witty',
] as const;

const NOUNS = [
  'acorn', 'anchor', 'badger', 'beacon', 'breeze', 'canyon', 'cedar', 'comet', 'coral', 'cricket',
  'falcon', 'fern', 'fjord', 'garden', 'harbor', 'heron', 'island', 'kettle', 'lamp', 'lantern',
  'maple', 'meadow', 'meteor', 'moose', 'nebula', 'orbit', 'otter', 'owl', 'panda', 'pebble',
  'pepper', 'pine', 'planet', 'puffin', 'quartz', 'raven', 'river', 'rocket', 'saddle', 'sparrow',
  'spruce', 'teapot', 'thistle', 'tiger', 'tulip', 'valley', 'walrus', 'willow', 'wombat', 'zephyr',
] as const;

function pick<T>(list: readonly T[]): T {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return list[(n ?? 0) % list.length] as T;
}

/** adjective-noun-noun, about 125,000 combinations; always a valid RoomNameSchema name. */
export function randomRoomName(): string {
  const first = pick(NOUNS);
  let second = pick(NOUNS);
  while (second === first) second = pick(NOUNS);
  return `${pick(ADJECTIVES)}-${first}-${second}`;
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** A friendly placeholder name for people who did not type one. */
export function randomGuestName(): string {
  return `${capitalize(pick(ADJECTIVES))} ${capitalize(pick(NOUNS))}`;
}

/** Why `name` is not a valid room name (the protocol's RoomNameSchema), or null when it is. */
export function roomNameProblem(name: string): string | null {
  if (name.length === 0) return 'Enter a room name.';
  if (name.length > 64) return 'Room names are at most 64 characters.';
  if (!/^[A-Za-z0-9]/.test(name)) return 'Start with a letter or digit.';
  if (!RoomNameSchema.safeParse(name).success) return 'Use letters, digits, ".", "_" and "-" only (no spaces).';
  return null;
}
