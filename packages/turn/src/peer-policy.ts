/**
 * The default peer address policy: no relaying into networks a public relay should never reach (RFC 8656 §21.3
 * "the server MAY impose restrictions on the IP address allowed in XOR-PEER-ADDRESS", §10.2, §11.2, §12.2),
 * unless an operator allows a block explicitly. IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96) and NAT64
 * (64:ff9b::/96) IPv6 addresses are judged by the IPv4 address inside them.
 */
import { ipToBytes } from '@rendezvous/stun';
import { cidrContains, parseCidr, type Cidr } from './cidr.js';

/** Blocks denied unless allowed: loopback, RFC 1918, link-local, CGNAT, multicast, "this network", reserved. */
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
]);

const DENIED = DENIED_PEER_RANGES.map(parseCidr);
/** IPv6 prefixes that carry an IPv4 address in their last 4 bytes. */
const EMBEDS_IPV4 = ['::ffff:0:0/96', '::/96', '64:ff9b::/96'].map(parseCidr);

function inAny(blocks: readonly Cidr[], ip: Uint8Array, offset: number, length: number): boolean {
  for (const block of blocks) if (cidrContains(block, ip, offset, length)) return true;
  return false;
}

/** A peer-address check: true when the relay may send to and receive from `address`. */
export type AddressPolicy = (address: string) => boolean;

/**
 * The default policy: `address` is allowed unless it is in `DENIED_PEER_RANGES` (or embeds such an IPv4
 * address), and anything inside one of `allow` is allowed. Throws RangeError for a malformed CIDR.
 */
export function createPeerPolicy(allow: readonly string[] = []): AddressPolicy {
  const allowed = allow.map(parseCidr);
  return (address: string): boolean => {
    const ip = ipToBytes(address);
    if (ip === undefined) return false;
    if (inAny(allowed, ip, 0, ip.length)) return true;
    if (inAny(DENIED, ip, 0, ip.length)) {
      // "::" and "::1" are inside ::/96 too; they are denied in their own right.
      return false;
    }
    if (ip.length === 16 && inAny(EMBEDS_IPV4, ip, 0, 16)) {
      if (inAny(allowed, ip, 12, 4)) return true;
      return !inAny(DENIED, ip, 12, 4);
    }
    return true;
  };
}

/** True when `address` is in a range the default policy denies (whatever the allow-list says). */
export function isDeniedByDefault(address: string): boolean {
  return !DEFAULT_POLICY(address);
}

const DEFAULT_POLICY = createPeerPolicy();
