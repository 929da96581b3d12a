import type { Publication } from './publication.js';
import { ntpFromMs, type SenderInfo, type StreamRewriter } from './rtp/index.js';

const TWO_32 = 0x1_0000_0000;

/** NTP time `deltaMs` after (`ntpSec`, `ntpFrac`). */
function ntpPlus(ntpSec: number, ntpFrac: number, deltaMs: number): { ntpSec: number; ntpFrac: number } {
  const total = ntpSec * TWO_32 + ntpFrac + Math.round((deltaMs / 1000) * TWO_32);
  return { ntpSec: Math.floor(total / TWO_32) >>> 0, ntpFrac: (total % TWO_32) >>> 0 };
}

/**
 * The sender report (RFC 3550 §6.4.1) for one forwarded stream now. When the publisher sent a sender report for the
 * stream now forwarded, the report keeps the publisher's NTP clock, its RTP timestamp moved into the output's
 * numbering: a subscriber then syncs this stream with the publisher's others exactly as the publisher meant. Before
 * that it uses the server's clock and the newest packet sent. Null when nothing went out yet.
 */
export function senderReportFor(rewriter: StreamRewriter, source: Publication, nowMs: number): SenderInfo | null {
  const last = rewriter.lastOutput;
  if (last === null) {
    return null;
  }
  const rate = source.clockRate / 1000;
  const clock = source.clock;
  const mapped = clock === null ? null : rewriter.outputTimestamp(source.ssrc, clock.rtpTimestamp);
  const counts = { ssrc: rewriter.ssrc, packets: rewriter.stats.packets >>> 0, octets: rewriter.stats.payloadBytes >>> 0 };
  if (clock !== null && mapped !== null) {
    const elapsed = nowMs - clock.atMs;
    return {
      ...counts,
      ...ntpPlus(clock.ntpSec, clock.ntpFrac, elapsed),
      rtpTimestamp: (mapped + Math.round(elapsed * rate)) >>> 0,
    };
  }
  return { ...counts, ...ntpFromMs(nowMs), rtpTimestamp: (last.timestamp + Math.round((nowMs - last.atMs) * rate)) >>> 0 };
}
