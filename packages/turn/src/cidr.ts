/** CIDR blocks ("10.0.0.0/8", "fc00::/7"): parsing and matching IP address bytes. Pure. */
import { ipToBytes, type AddressFamily } from '@rendezvous/stun';

export interface Cidr {
  family: AddressFamily;
  /** The network address: 4 or 16 bytes. */
  bytes: Uint8Array;
  /** Prefix length in bits. */
  bits: number;
}

/** Parses "a.b.c.d/n" or "x:y::/n" (a bare address is a /32 or /128). Throws RangeError when malformed. */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const bytes = ipToBytes(address);
  if (bytes === undefined) {
    throw new RangeError(`"${text}" is not a CIDR block: bad address`);
  }
  const max = bytes.length * 8;
  const bitsText = slash < 0 ? String(max) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max) {
    throw new RangeError(`"${text}" is not a CIDR block: prefix length must be 0-${max}`);
  }
  return { family: bytes.length === 4 ? 'IPv4' : 'IPv6', bytes, bits: Number(bitsText) };
}

/** True when `ip` (4 or 16 bytes, starting at `offset`) is inside `cidr`. Families must match. */
export function cidrContains(cidr: Cidr, ip: Uint8Array, offset = 0, length = ip.length - offset): boolean {
  if (length !== cidr.bytes.length) {
    return false;
  }
  const whole = cidr.bits >>> 3;
  for (let i = 0; i < whole; i++) {
    if (ip[offset + i] !== cidr.bytes[i]) {
      return false;
    }
  }
  const rest = cidr.bits & 7;
  if (rest === 0) {
    return true;
  }
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((ip[offset + whole]! ^ cidr.bytes[whole]!) & mask) === 0;
}
