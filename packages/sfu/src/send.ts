import type ndc from 'node-datachannel';
import type { SfuCounters } from './counters.js';

/**
 * Sends one RTP or RTCP packet on `track`. libdatachannel throws when it cannot (a track closing, SRTP refusing an
 * index it already protected): that is counted and swallowed, as a lost packet would be.
 */
export function sendPacket(track: ndc.Track, packet: Buffer, counters: SfuCounters): boolean {
  try {
    if (track.sendMessageBinary(packet)) {
      return true;
    }
  } catch {
    // counted below
  }
  counters.sendErrors++;
  return false;
}
