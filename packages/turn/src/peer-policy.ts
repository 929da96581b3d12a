/**
 * The default peer address policy: no relaying into networks a public relay should never reach (RFC 8656 §21.3
 * "the server MAY impose restrictions on the IP address allowed in XOR-PEER-ADDRESS", §10.2, §11.2, §12.2),
 * unless an operator allows a block explicitly. IPv6 addresses that carry an IPv4 address are judged by that
 * address too (`embeddedIpv4`): IPv4-mapped, IPv4-compatible, SIIT, NAT64, 6to4 and Teredo.
 */
import { ipToBytes } from '@rendezvous/stun';
import { cidrContains, parseCidr, type Cidr } from './cidr.js';

/**
 * Blocks denied unless allowed: loopback, RFC 1918, link-local, CGNAT, multicast, "this network", reserved, and the
 * local-use NAT64 prefix (RFC 8215) as a whole: where the IPv4 address sits in it depends on the prefix length the
 * network chose, so it cannot be judged by that address.
 */
export const DENIED_PEER_RANGES: readonly string[] = Object.freeze([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::1/128',
  '::/128',
  'fe80::/10',
  'fec0::/10',
  'fc00::/7',
  'ff00::/8',
  '64:ff9b:1::/48',
]);

const DENIED = DENIED_PEER_RANGES.map(parseCidr);
/**
 * IPv6 prefixes that carry an IPv4 address in their last 4 bytes: IPv4-mapped, IPv4-compatible, SIIT's
 * IPv4-translated (RFC 2765), the NAT64 well-known prefix (RFC 6052).
 */
const LAST_4_BYTES = ['::ffff:0:0/96', '::/96', '::ffff:0:0:0/96', '64:ff9b::/96'].map(parseCidr);
/** The local-use NAT64 prefix (RFC 8215): a network's own translator may put the IPv4 address at any RFC 6052 place. */
const NAT64_LOCAL = parseCidr('64:ff9b:1::/48');
/** Where RFC 6052 §2.2 puts the IPv4 bytes for prefix lengths /48, /56 and /64 (byte 8 is always zero). */
const NAT64_POSITIONS = [
  [6, 7, 9, 10],
  [7, 9, 10, 11],
  [9, 10, 11, 12],
];
/** 6to4 (RFC 3056): 2002:AABB:CCDD::/48 for the IPv4 address AA.BB.CC.DD. */
const SIX_TO_FOUR = parseCidr('2002::/16');
/** Teredo (RFC 4380): 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC, server IPv4 S, client IPv4 C with every bit flipped. */
const TEREDO = parseCidr('2001::/32');

function pick(ip: Uint8Array, positions: readonly number[], flip = 0): Uint8Array {
  return Uint8Array.from(positions, (at) => ip[at]! ^ flip);
}

/** The IPv4 addresses (4 bytes each) an IPv6 address (16 bytes) carries or may carry; none for other addresses. */
export function embeddedIpv4(ip: Uint8Array): Uint8Array[] {
  if (ip.length !== 16) {
    return [];
  }
  if (inAny(LAST_4_BYTES, ip, 0, 16)) {
    return [ip.subarray(12, 16)];
  }
  if (cidrContains(NAT64_LOCAL, ip)) {
    return [...NAT64_POSITIONS.map((positions) => pick(ip, positions)), ip.subarray(12, 16)];
  }
  if (cidrContains(SIX_TO_FOUR, ip)) {
    return [ip.subarray(2, 6)];
  }
  if (cidrContains(TEREDO, ip)) {
    return [ip.subarray(4, 8), pick(ip, [12, 13, 14, 15], 0xff)];
  }
  return [];
}

function inAny(blocks: readonly Cidr[], ip: Uint8Array, offset: number, length: number): boolean {
  for (const block of blocks) {
    if (cidrContains(block, ip, offset, length)) {
      return true;
    }
  }
  return false;
}

/** A peer-address check: true when the relay may send to and receive from `address`. */
export type AddressPolicy = (address: string) => boolean;

/**
 * The default policy: `address` is allowed unless it is in `DENIED_PEER_RANGES` or carries such an IPv4 address
 * (`embeddedIpv4`); anything inside one of `allow` is allowed, and so is an embedded IPv4 address inside one.
 * Throws RangeError for a malformed CIDR.
 */
export function createPeerPolicy(allow: readonly string[] = []): AddressPolicy {
  const allowed = allow.map(parseCidr);
  return (address: string): boolean => {
    const ip = ipToBytes(address);
    if (ip === undefined) {
      return false;
    }
    if (inAny(allowed, ip, 0, ip.length)) {
      return true;
    }
    if (inAny(DENIED, ip, 0, ip.length)) {
      // "::" and "::1" are inside ::/96 too; they are denied in their own right.
      return false;
    }
    for (const v4 of embeddedIpv4(ip)) {
      if (inAny(DENIED, v4, 0, 4) && !inAny(allowed, v4, 0, 4)) {
        return false;
      }
    }
    return true;
  };
}

/** True when `address` is in a range the default policy denies (whatever the allow-list says). */
export function isDeniedByDefault(address: string): boolean {
  return !DEFAULT_POLICY(address);
}

const DEFAULT_POLICY = createPeerPolicy();
