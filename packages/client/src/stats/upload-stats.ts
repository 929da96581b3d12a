import type { StatsEntry } from '../candidate-path.js';
import { entriesOf, kindOf, num, numOrNull, str } from './stats-entries.js';

/** How this client's upload is doing (see `Room.uploadStats()`): what it sends, to everyone, summed. */
export interface UploadStats {
  /** RTP bytes sent per second since the previous call (0 on the first), in kbit/s. */
  bitrateKbps: number;
  /**
   * Share of packets sent since the previous call that receivers report lost (RTCP), in percent (since the start on the
   * first call); null before they report.
   */
  packetLossPercent: number | null;
  /** Round trip to the receivers (RTCP), ms; null before they report. */
  rttMs: number | null;
  /** The camera as encoded, null without video. */
  frameWidth: number | null;
  frameHeight: number | null;
  framesPerSecond: number | null;
  /** What holds the video's quality back, as the encoder says; null when nothing does (or no video). */
  limitedBy: 'cpu' | 'bandwidth' | 'other' | null;
}

interface Totals {
  bytes: number;
  at: number;
  sent: number;
  lost: number;
  lossReported: boolean;
  rtts: number[];
  video: StatsEntry | null;
}

function totalsOf(reports: RTCStatsReport[], now: number): Totals | null {
  const totals: Totals = { bytes: 0, at: now, sent: 0, lost: 0, lossReported: false, rtts: [], video: null };
  let rtpOut = 0;
  for (const report of reports) {
    for (const entry of entriesOf(report).values()) {
      if (entry.type === 'outbound-rtp') {
        rtpOut += 1;
        totals.bytes += num(entry, 'bytesSent') + num(entry, 'headerBytesSent');
        totals.sent += num(entry, 'packetsSent');
        if (kindOf(entry) === 'video' && num(entry, 'frameWidth') >= num(totals.video ?? undefined, 'frameWidth')) {
          totals.video = entry;
        }
      } else if (entry.type === 'remote-inbound-rtp') {
        const lost = numOrNull(entry, 'packetsLost');
        if (lost !== null) {
          totals.lost += Math.max(0, lost);
          totals.lossReported = true;
        }
        const rtt = numOrNull(entry, 'roundTripTime');
        if (rtt !== null) {
          totals.rtts.push(rtt * 1000);
        }
      }
    }
  }
  return rtpOut === 0 ? null : totals;
}

function limitation(video: StatsEntry | null): UploadStats['limitedBy'] {
  const reason = str(video ?? undefined, 'qualityLimitationReason');
  return reason === 'cpu' || reason === 'bandwidth' || reason === 'other' ? reason : null;
}

/** Turns successive stats reports of the sending connections into UploadStats (a rate needs the previous sample). */
export class UploadMeter {
  #previous: { bytes: number; at: number; sent: number; lost: number } | null = null;

  /** Null while nothing is sent. */
  sample(reports: RTCStatsReport[], now = Date.now()): UploadStats | null {
    const totals = totalsOf(reports, now);
    if (totals === null) {
      this.#previous = null;
      return null;
    }
    const previous = this.#previous;
    this.#previous = { bytes: totals.bytes, at: totals.at, sent: totals.sent, lost: totals.lost };
    const sent = Math.max(0, totals.sent - (previous?.sent ?? 0));
    const lost = Math.max(0, totals.lost - (previous?.lost ?? 0));
    const seconds = previous === null ? 0 : (totals.at - previous.at) / 1000;
    const video = totals.video;
    return {
      bitrateKbps: seconds > 0 ? Math.max(0, (totals.bytes - (previous?.bytes ?? 0)) * 8) / 1000 / seconds : 0,
      packetLossPercent: totals.lossReported ? (100 * lost) / Math.max(1, sent + lost) : null,
      rttMs: totals.rtts.length === 0 ? null : totals.rtts.reduce((a, b) => a + b, 0) / totals.rtts.length,
      frameWidth: numOrNull(video ?? undefined, 'frameWidth'),
      frameHeight: numOrNull(video ?? undefined, 'frameHeight'),
      framesPerSecond: numOrNull(video ?? undefined, 'framesPerSecond'),
      limitedBy: limitation(video),
    };
  }
}
