/** The SFU's running totals, kept as plain numbers on the packet path and read by the metrics when scraped. */
export interface SfuCounters {
  /** RTP packets received from publishers. */
  receivedPackets: number;
  receivedBytes: number;
  /** RTP packets sent to subscribers (retransmissions not included). */
  forwardedPackets: number;
  forwardedBytes: number;
  /** NACKed packets subscribers asked for, and how many the cache still held and sent again. */
  nackedPackets: number;
  retransmittedPackets: number;
  /** Keyframe requests subscribers sent (PLI or FIR), and PLIs the SFU sent to publishers (after throttling). */
  keyframeRequests: number;
  plisSent: number;
  /** NACKs the SFU sent to publishers for packets lost on the way in. */
  nacksSent: number;
  /** Packets `sendMessageBinary` refused (a closing track, an SRTP failure). */
  sendErrors: number;
}

export function emptyCounters(): SfuCounters {
  return {
    receivedPackets: 0,
    receivedBytes: 0,
    forwardedPackets: 0,
    forwardedBytes: 0,
    nackedPackets: 0,
    retransmittedPackets: 0,
    keyframeRequests: 0,
    plisSent: 0,
    nacksSent: 0,
    sendErrors: 0,
  };
}
