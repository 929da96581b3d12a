/**
 * Reads what the SFU needs from a client's offer (RFC 8866 lines, JSEP's shape): per media line its kind, mid,
 * direction, codecs (rtpmap / fmtp / rtcp-fb per payload type), header extensions and declared SSRCs. A light
 * reader, not a validator: libdatachannel parses the offer again and refuses what it cannot take.
 */

export interface OfferCodec {
  pt: number;
  /** Upper case: `VP8`, `OPUS`, `H264`. */
  name: string;
  clockRate: number;
  channels: number;
  /** The fmtp parameters as written (`profile-level-id=42e01f;packetization-mode=1`), '' when none. */
  fmtp: string;
  rtcpFb: string[];
}

export interface OfferMedia {
  kind: 'audio' | 'video' | 'application' | 'other';
  mid: string;
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  /** In the offer's order of preference. */
  codecs: OfferCodec[];
  extmaps: { id: number; uri: string }[];
  /** SSRCs declared with `a=ssrc` (the first of each FID group only: its repair stream is not forwarded). */
  ssrcs: number[];
  /** `a=msid` stream id, if any. */
  streamId: string | null;
}

const KINDS = new Set(['audio', 'video', 'application']);
const DIRECTIONS = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** The media lines of `sdp`, in order. Never throws: an unreadable line is skipped. */
export function parseOffer(sdp: string): OfferMedia[] {
  const media: (OfferMedia & { repair: Set<number> })[] = [];
  let current: (typeof media)[number] | null = null;
  for (const raw of sdp.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('m=')) {
      const kind = line.slice(2, line.indexOf(' '));
      current = {
        kind: KINDS.has(kind) ? (kind as OfferMedia['kind']) : 'other',
        mid: '',
        direction: 'sendrecv',
        codecs: [],
        extmaps: [],
        ssrcs: [],
        streamId: null,
        repair: new Set(),
      };
      media.push(current);
    } else if (current !== null && line.startsWith('a=')) {
      readAttribute(current, line.slice(2));
    }
  }
  return media.map(({ repair, ...rest }) => ({ ...rest, ssrcs: rest.ssrcs.filter((ssrc) => !repair.has(ssrc)) }));
}

function readAttribute(media: OfferMedia & { repair: Set<number> }, attribute: string): void {
  const colon = attribute.indexOf(':');
  const name = colon < 0 ? attribute : attribute.slice(0, colon);
  const value = colon < 0 ? '' : attribute.slice(colon + 1);
  if (DIRECTIONS.has(name)) {
    media.direction = name as OfferMedia['direction'];
  } else if (name === 'mid') {
    media.mid = value.trim();
  } else if (name === 'rtpmap') {
    readRtpmap(media, value);
  } else if (name === 'fmtp' || name === 'rtcp-fb') {
    readCodecParameter(media, name, value);
  } else if (name === 'extmap') {
    const match = /^(\d+)(?:\/\w+)? (\S+)/.exec(value);
    if (match !== null) {
      media.extmaps.push({ id: Number(match[1]), uri: match[2] ?? '' });
    }
  } else if (name === 'ssrc') {
    const ssrc = Number(value.slice(0, value.indexOf(' ')));
    if (Number.isInteger(ssrc) && ssrc > 0 && ssrc <= 0xffffffff && !media.ssrcs.includes(ssrc)) {
      media.ssrcs.push(ssrc);
    }
  } else if (name === 'ssrc-group') {
    const [semantics, , ...repair] = value.split(' ');
    if (semantics === 'FID' || semantics === 'FEC-FR') {
      for (const ssrc of repair) {
        media.repair.add(Number(ssrc));
      }
    }
  } else if (name === 'msid') {
    media.streamId = value.split(' ')[0] ?? null;
  }
}

function readRtpmap(media: OfferMedia, value: string): void {
  const match = /^(\d+) ([\w.-]+)\/(\d+)(?:\/(\d+))?/.exec(value);
  if (match === null) {
    return;
  }
  media.codecs.push({
    pt: Number(match[1]),
    name: (match[2] ?? '').toUpperCase(),
    clockRate: Number(match[3]),
    channels: match[4] === undefined ? 1 : Number(match[4]),
    fmtp: '',
    rtcpFb: [],
  });
}

function readCodecParameter(media: OfferMedia, name: 'fmtp' | 'rtcp-fb', value: string): void {
  const space = value.indexOf(' ');
  const pt = Number(value.slice(0, space));
  const codec = media.codecs.find((c) => c.pt === pt);
  if (codec === undefined || space < 0) {
    return;
  }
  if (name === 'fmtp') {
    codec.fmtp = value.slice(space + 1).trim();
  } else {
    codec.rtcpFb.push(value.slice(space + 1).trim());
  }
}

/** The fmtp parameters of `codec` as a map (keys lower case). */
export function fmtpParameters(codec: OfferCodec): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const part of codec.fmtp.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      parameters.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
    }
  }
  return parameters;
}
