import { RendezvousError, type SfuSource } from '@rendezvous/protocol';
import { pickPublishCodec, type VideoCodecName } from './codecs.js';
import { Endpoint, type EndpointState } from './endpoint.js';
import { parseOffer, type OfferCodec, type OfferMedia } from './offer.js';
import type { Publication } from './publication.js';
import { publishLine } from './publish-line.js';
import type { SfuContext } from './sfu-context.js';

/** One line of a bundled offer: the camera source it carries and the codec the SFU takes from it. */
export interface BundleLine {
  source: Extract<SfuSource, 'audio' | 'video'>;
  media: OfferMedia;
  codec: OfferCodec;
}

const bad = (message: string): RendezvousError => new RendezvousError('SFU_BAD_OFFER', message);

/**
 * The lines of an offer that publishes a camera over one connection, as WHIP clients do (RFC 9725; OBS sends an audio
 * and a video line): one audio line, one video line or both, each sending, with a mid and a codec the SFU forwards.
 * With two lines each must declare its SSRC (`a=ssrc`): libdatachannel routes the packets of a connection with several
 * lines by the SSRCs the offer declares and drops the rest. Throws SFU_BAD_OFFER or SFU_CODEC_UNSUPPORTED.
 */
export function readBundle(offer: string, preference: readonly VideoCodecName[]): BundleLine[] {
  const lines = parseOffer(offer);
  const [first, second] = lines;
  if (first === undefined || lines.length > 2 || lines.some((line) => line.kind !== 'audio' && line.kind !== 'video')) {
    throw bad('Publish with one audio line, one video line, or both');
  }
  if (second !== undefined && second.kind === first.kind) {
    throw bad('Publish at most one audio and one video line');
  }
  return lines.map((media) => {
    if (media.direction !== 'sendonly' && media.direction !== 'sendrecv') {
      throw bad(`The ${media.kind} line must send`);
    }
    if (media.mid === '') {
      throw bad(`The ${media.kind} line has no a=mid`);
    }
    if (lines.length > 1 && media.ssrcs.length === 0) {
      throw bad(`The ${media.kind} line declares no SSRC (a=ssrc), which a connection with two lines needs`);
    }
    const codec = pickPublishCodec(media, preference);
    if (codec === null) {
      const wanted = media.kind === 'audio' ? 'Opus' : `${preference.join(', ')} (H.264 with packetization-mode=1)`;
      throw new RendezvousError('SFU_CODEC_UNSUPPORTED', `The ${media.kind} line offers no codec the SFU forwards: ${wanted}`);
    }
    return { source: media.kind === 'audio' ? 'audio' : 'video', media, codec };
  });
}

/**
 * One connection receiving every line of a bundle, and a publication per line on it. Each publication owns the
 * connection as it would its own: closing any closes it, and the others' streams with it.
 */
export function openBundle(
  peerId: string,
  lines: readonly BundleLine[],
  ctx: SfuContext,
  onState: (state: EndpointState) => void,
): Publication[] {
  const endpoint = new Endpoint(`bundle:${peerId}`, ctx.network, onState);
  return lines.map(({ source, media, codec }) => publishLine(endpoint, { peerId, source, kind: source, media, codec }, ctx));
}
