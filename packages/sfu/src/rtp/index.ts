// The pure RTP/RTCP layer of the SFU: header access, RTCP parse/build, per-subscriber rewriting, retransmission
// cache, reception statistics and NACK tracking. No sockets and no timers: callers pass the time in.
export {
  findExtension,
  isRtcp,
  readAudioLevel,
  rtpHeaderLength,
  rtpMarker,
  rtpPayloadLength,
  rtpPayloadType,
  rtpSequence,
  rtpSsrc,
  rtpTimestamp,
  setRtpPayloadType,
  setRtpSequence,
  setRtpSsrc,
  setRtpTimestamp,
  type AudioLevel,
} from './rtp-header.js';
export {
  buildFir,
  buildNack,
  buildPli,
  buildReceiverReport,
  buildRemb,
  buildSenderReport,
  ntpFromMs,
  ntpMiddle32,
  parseRtcp,
  RTCP_BYE,
  RTCP_PSFB,
  RTCP_RR,
  RTCP_RTPFB,
  RTCP_SDES,
  RTCP_SR,
  type ReportBlock,
  type RtcpItem,
  type SenderInfo,
} from './rtcp.js';
export { keepExtension, stripRtpExtensions } from './header-extension.js';
export { StreamRewriter, type LastOutput, type RewriterStats, type StreamRewriterOptions } from './stream-rewriter.js';
export { PacketCache } from './packet-cache.js';
export { ReceiveStats, type LastSenderReport } from './receive-stats.js';
export { NackTracker, type NackTrackerOptions } from './nack-tracker.js';
