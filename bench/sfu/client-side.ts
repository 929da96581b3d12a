import type ndc from 'node-datachannel';
import type { MediaSink } from './media.js';
import type { Receiver } from './peer.js';

/** How the load publishes into, and subscribes from, one SFU under test. */
export interface SfuClientSide {
  /** Every connection the load opened to the SFU (closed at the end). */
  readonly pcs: ndc.PeerConnection[];
  /** Connects the one publisher; resolves once its tracks are open, with where to send its packets. */
  publish(): Promise<MediaSink>;
  /** Connects one subscriber whose packets go to `receiver`; resolves once its tracks are open. */
  subscribe(name: string, receiver: Receiver): Promise<void>;
  /** Ends what the load holds on the SFU's side beyond the connections (Janus's session). */
  close?(): void;
}
