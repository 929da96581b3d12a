import type { TransportAddress } from '@rendezvous/stun';
import type { Allocation } from './allocation.js';
import type { ClientTransport } from './options.js';

/**
 * One client 5-tuple as the server sees it (RFC 8656 §2 "5-tuple"): a UDP remote address on one listening
 * socket, or one TCP/TLS connection. Listeners implement it; tests implement it in memory.
 */
export interface ClientLink {
  readonly transport: ClientTransport;
  /** TCP and TLS: ChannelData is padded to a multiple of 4 bytes (RFC 8656 §12.5). */
  readonly stream: boolean;
  readonly remote: TransportAddress;
  /** The server address the client reached. */
  readonly local: TransportAddress;
  /** The allocation on this 5-tuple (RFC 8656 §5: at most one). */
  readonly allocation: Allocation | undefined;
  /** True once a stream link's connection is gone: nothing more can be sent. */
  readonly closed: boolean;
  /** Sends one STUN or ChannelData message. Never throws; a full stream buffer drops it. */
  send(data: Buffer): void;
  /** Ties an allocation to this 5-tuple (or unties it), so that later messages on it find it. */
  attach(allocation: Allocation): void;
  detach(allocation: Allocation): void;
}
