import type { SfuSource } from '@rendezvous/protocol';
import { audioLevelId, AUDIO_LEVEL_URI } from './codecs.js';
import type { Endpoint } from './endpoint.js';
import type { OfferCodec, OfferMedia } from './offer.js';
import { Publication } from './publication.js';
import type { SfuContext } from './sfu-context.js';

/** One published line of an offer: whose, which source, and the codec the SFU takes from it. */
export interface PublishedLine {
  peerId: string;
  source: SfuSource;
  kind: 'audio' | 'video';
  media: OfferMedia;
  codec: OfferCodec;
}

/**
 * A Publication of `line` on `endpoint` (a browser's connection for one source, or a WHIP client's for both): its
 * receiving track answers the codec, and the audio-level extension when the offer has it (forwarded to subscribers).
 */
export function publishLine(endpoint: Endpoint, line: PublishedLine, ctx: SfuContext): Publication {
  const { peerId, source, kind, media, codec } = line;
  const level = audioLevelId(media);
  const track = endpoint.addMedia({
    offer: media,
    direction: 'RecvOnly',
    codecs: [codec],
    ...(level === 0 ? {} : { extmaps: [{ id: level, uri: AUDIO_LEVEL_URI }] }),
  });
  return new Publication({
    ...{ peerId, source, kind, codec, ssrc: media.ssrcs[0] ?? 0, audioLevelId: level, endpoint, track },
    ...ctx.publication,
  });
}
