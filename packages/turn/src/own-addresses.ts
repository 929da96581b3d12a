/**
 * The server's own addresses, which may never be peers (RFC 8656 §21.3: a relay must not become a way into its own
 * host): every address the listeners bound, every local interface address, and the relayed address advertised
 * instead of a bound one (the external IP behind 1:1 NAT). Relaying between two allocations of this server stays
 * possible: it is delivered in-process, never through a socket (see engine.ts `judgePeer`).
 */
import os from 'node:os';
import { ipToBytes } from '@rendezvous/stun';
import { embeddedIpv4 } from './peer-policy.js';

/**
 * Interface addresses are read again at most this often (on the engine's sweep, no timer of its own), so addresses
 * that appear after start (IPv6 privacy addresses, a new DHCP lease) are refused as peers too.
 */
export const OWN_ADDRESSES_REFRESH_MS = 30_000;

/** Every address of every local interface, as os.networkInterfaces() lists them. */
export function interfaceAddresses(): string[] {
  const out: string[] = [];
  for (const infos of Object.values(os.networkInterfaces())) {
    for (const info of infos ?? []) {
      out.push(info.address);
    }
  }
  return out;
}

const key = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** A set of IP addresses that also recognises IPv6 forms carrying one of its IPv4 addresses (mapped, NAT64...). */
export class OwnAddresses {
  private readonly keys = new Set<string>();

  constructor(addresses: Iterable<string> = []) {
    for (const address of addresses) {
      const bytes = ipToBytes(address);
      if (bytes !== undefined) {
        this.keys.add(key(bytes));
      }
    }
  }

  get size(): number {
    return this.keys.size;
  }

  has(address: string): boolean {
    const bytes = ipToBytes(address);
    if (bytes === undefined) {
      return false;
    }
    if (this.keys.has(key(bytes))) {
      return true;
    }
    for (const v4 of embeddedIpv4(bytes)) {
      if (this.keys.has(key(v4))) {
        return true;
      }
    }
    return false;
  }
}
