/**
 * A bounded walk over BinaryPack bytes, run before `unpack`: the decoder trusts the lengths it reads (an array
 * header claiming four billion items makes it loop four billion times, reading zeros past the end) and recurses
 * without a bound. Every value must fit in the bytes that are there, nested at most `maxDepth` deep, and fill them
 * exactly. Returns why the bytes are refused, or null.
 */
export function checkBinaryPack(bytes: Uint8Array, maxDepth: number): string | null {
  const reader = new Reader(bytes);
  // Each value takes at least one byte and a container's items are checked against the bytes left, so the walk is
  // linear in the input. `pending` holds the values still to read at each open depth.
  const pending: number[] = [1];
  while (pending.length > 0) {
    const top = pending.length - 1;
    const left = pending[top] ?? 0;
    if (left === 0) {
      pending.pop();
      continue;
    }
    pending[top] = left - 1;
    const items = reader.value();
    if (typeof items === 'string') {
      return items;
    }
    if (items > 0) {
      if (pending.length >= maxDepth) {
        return `nested deeper than ${maxDepth}`;
      }
      if (!reader.has(items)) {
        return 'container longer than the message';
      }
      pending.push(items);
    }
  }
  return reader.index === bytes.length ? null : 'trailing bytes';
}

const FIXED_WIDTH: Readonly<Record<number, number>> = {
  0xca: 4,
  0xcb: 8,
  0xcc: 1,
  0xcd: 2,
  0xce: 4,
  0xcf: 8,
  0xd0: 1,
  0xd1: 2,
  0xd2: 4,
  0xd3: 8,
};
/** Type byte → width of the length that follows, and what the length counts. */
const SIZED: Readonly<Record<number, readonly [2 | 4, 'bytes' | 'items' | 'pairs']>> = {
  0xd8: [2, 'bytes'],
  0xd9: [4, 'bytes'],
  0xda: [2, 'bytes'],
  0xdb: [4, 'bytes'],
  0xdc: [2, 'items'],
  0xdd: [4, 'items'],
  0xde: [2, 'pairs'],
  0xdf: [4, 'pairs'],
};

class Reader {
  index = 0;
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  has(count: number): boolean {
    return this.index + count <= this.#bytes.length;
  }

  /** Reads one value's header and skips a scalar's body; returns how many values a container holds (0 for a scalar). */
  value(): number | string {
    if (!this.has(1)) {
      return 'truncated value';
    }
    const type = this.#bytes[this.index++] ?? 0;
    if (type < 0x80 || type >= 0xe0 || (type >= 0xc0 && type <= 0xc3) || (type >= 0xd4 && type <= 0xd7)) {
      return 0;
    }
    if (type >= 0xa0 && type <= 0xbf) {
      return this.#skip(type & 0x0f); // fixraw (0xa0…) and fixstring (0xb0…)
    }
    if (type >= 0x90 && type <= 0x9f) {
      return type & 0x0f;
    }
    if (type >= 0x80 && type <= 0x8f) {
      return (type & 0x0f) * 2;
    }
    const width = FIXED_WIDTH[type];
    if (width !== undefined) {
      return this.#skip(width);
    }
    const sized = SIZED[type];
    if (sized === undefined) {
      return `unknown type byte 0x${type.toString(16)}`;
    }
    const [size, counts] = sized;
    if (!this.has(size)) {
      return 'truncated length';
    }
    let length = 0;
    for (let i = 0; i < size; i++) {
      length = length * 256 + (this.#bytes[this.index + i] ?? 0);
    }
    this.index += size;
    return counts === 'bytes' ? this.#skip(length) : counts === 'items' ? length : length * 2;
  }

  #skip(count: number): number | string {
    if (!this.has(count)) {
      return 'truncated value';
    }
    this.index += count;
    return 0;
  }
}
