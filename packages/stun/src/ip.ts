/**
 * IP address literals to bytes and back, without allocating on the IPv4 path. Formatting follows RFC 5952
 * (lowercase, no leading zeros, the longest run of two or more zero groups as "::"), and IPv4-mapped IPv6
 * addresses print as "::ffff:192.0.2.1", the way Node reports them on dual-stack sockets.
 */

/** The family strings Node's `dgram` and `net` use. */
export type AddressFamily = 'IPv4' | 'IPv6';

/** An IPv4 literal ("192.0.2.1": four decimal octets, no leading zeros) as an unsigned 32-bit number, or -1. */
export function parseIPv4(text: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && part === 0) {
        return -1;
      } // leading zero
      part = part * 10 + (c - 0x30);
      if (part > 255) {
        return -1;
      }
      digits++;
    } else if (c === 0x2e) {
      if (digits === 0 || dots === 3) {
        return -1;
      }
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) {
    return -1;
  }
  return value * 256 + part;
}

/** "192.0.2.1" from an unsigned 32-bit number. */
export function formatIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

function parseHexGroup(text: string): number {
  if (text.length === 0 || text.length > 4) {
    return -1;
  }
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let digit: number;
    if (c >= 0x30 && c <= 0x39) {
      digit = c - 0x30;
    } else if (c >= 0x61 && c <= 0x66) {
      digit = c - 0x57;
    } else if (c >= 0x41 && c <= 0x46) {
      digit = c - 0x37;
    } else {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

/** Parses groups into 16-bit words; a dotted IPv4 tail counts as two. Returns false on a bad group. */
function parseGroups(groups: string[], words: number[]): boolean {
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    if (i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIPv4(group);
      if (v4 < 0) {
        return false;
      }
      words.push(v4 >>> 16, v4 & 0xffff);
    } else {
      const word = parseHexGroup(group);
      if (word < 0) {
        return false;
      }
      words.push(word);
    }
  }
  return true;
}

/**
 * Writes the 16 bytes of an IPv6 literal into `out` at `offset`. Accepts "::" compression, a dotted IPv4
 * tail ("::ffff:192.0.2.1"), and drops a zone ("fe80::1%eth0": STUN addresses have none).
 * Returns false, writing nothing, when `text` is not an IPv6 literal.
 */
export function parseIPv6(text: string, out: Uint8Array, offset: number): boolean {
  const zone = text.indexOf('%');
  const address = zone >= 0 ? text.slice(0, zone) : text;
  const gap = address.indexOf('::');
  const head: number[] = [];
  const tail: number[] = [];
  if (gap < 0) {
    if (!parseGroups(address.split(':'), head) || head.length !== 8) {
      return false;
    }
  } else {
    if (address.indexOf('::', gap + 1) >= 0) {
      return false;
    }
    const before = address.slice(0, gap);
    const after = address.slice(gap + 2);
    if (before.length > 0 && (before.includes('.') || !parseGroups(before.split(':'), head))) {
      return false;
    }
    if (after.length > 0 && !parseGroups(after.split(':'), tail)) {
      return false;
    }
    if (head.length + tail.length > 7) {
      return false;
    }
  }
  out.fill(0, offset, offset + 16);
  for (let i = 0; i < head.length; i++) {
    out[offset + 2 * i] = head[i]! >>> 8;
    out[offset + 2 * i + 1] = head[i]! & 0xff;
  }
  const tailStart = offset + 16 - 2 * tail.length;
  for (let i = 0; i < tail.length; i++) {
    out[tailStart + 2 * i] = tail[i]! >>> 8;
    out[tailStart + 2 * i + 1] = tail[i]! & 0xff;
  }
  return true;
}

/** The RFC 5952 text form of the 16 bytes at `offset`. */
export function formatIPv6(bytes: Uint8Array, offset: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) {
    words.push((bytes[offset + 2 * i]! << 8) | bytes[offset + 2 * i + 1]!);
  }
  // ::ffff:a.b.c.d (IPv4-mapped)
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) {
    return `::ffff:${formatIPv4(((words[6]! << 16) | words[7]!) >>> 0)}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) {
      j++;
    }
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    words
      .slice(from, to)
      .map((w) => w.toString(16))
      .join(':');
  if (bestStart < 0) {
    return hex(0, 8);
  }
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** 'IPv4' or 'IPv6' for a valid literal, otherwise undefined. */
export function ipFamily(address: string): AddressFamily | undefined {
  if (parseIPv4(address) >= 0) {
    return 'IPv4';
  }
  return parseIPv6(address, SCRATCH, 0) ? 'IPv6' : undefined;
}

const SCRATCH = new Uint8Array(16);

/** The 4 or 16 bytes of an IP literal, or undefined when it is not one. */
export function ipToBytes(address: string): Buffer | undefined {
  const v4 = parseIPv4(address);
  if (v4 >= 0) {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(v4, 0);
    return out;
  }
  const out = Buffer.allocUnsafe(16);
  return parseIPv6(address, out, 0) ? out : undefined;
}

const BLOCK = new Uint8Array(16);

/**
 * What a per-address limit counts as one address. One host usually holds a whole IPv6 /64 (SLAAC, privacy
 * addresses), so an IPv6 address stands for its /64, in canonical text ("2001:db8:1:2::/64"; a zone is dropped).
 * An IPv4 address stays as is, and so does the IPv4 address inside an IPv4-mapped IPv6 one ("::ffff:192.0.2.1" is
 * "192.0.2.1": the host a dual-stack socket saw, not the /64 all of IPv4 maps into). Anything that is not an IP
 * literal comes back unchanged.
 */
export function addressBlock(address: string): string {
  if (parseIPv4(address) >= 0) {
    return address;
  }
  if (!parseIPv6(address, BLOCK, 0)) {
    return address;
  }
  let mapped = BLOCK[10] === 0xff && BLOCK[11] === 0xff;
  for (let i = 0; i < 10 && mapped; i++) {
    mapped = BLOCK[i] === 0;
  }
  if (mapped) {
    return formatIPv4(((BLOCK[12]! << 24) | (BLOCK[13]! << 16) | (BLOCK[14]! << 8) | BLOCK[15]!) >>> 0);
  }
  BLOCK.fill(0, 8, 16);
  return `${formatIPv6(BLOCK, 0)}/64`;
}
