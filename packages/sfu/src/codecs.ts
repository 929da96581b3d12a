import { fmtpParameters, type OfferCodec, type OfferMedia } from './offer.js';

/** Video codecs the SFU forwards, in the order it prefers them by default (every browser decodes VP8). */
export const VIDEO_CODECS = ['VP8', 'H264', 'VP9'] as const;
export type VideoCodecName = (typeof VIDEO_CODECS)[number];

/** The header extension that carries a packet's audio level (RFC 6464). */
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

function usable(codec: OfferCodec): boolean {
  const parameters = fmtpParameters(codec);
  switch (codec.name) {
    case 'OPUS':
      return codec.clockRate === 48_000 && codec.channels === 2;
    case 'VP8':
      return codec.clockRate === 90_000;
    case 'VP9':
      // Profile 0 is the one every VP9 decoder takes.
      return codec.clockRate === 90_000 && (parameters.get('profile-id') ?? '0') === '0';
    case 'H264':
      // Packetization mode 1 (RFC 6184 §6.3): what browsers and OBS send; mode 0 cannot carry large frames.
      return codec.clockRate === 90_000 && parameters.get('packetization-mode') === '1';
    default:
      return false;
  }
}

/** H.264's profile (the first two bytes of profile-level-id), e.g. `42e0` for constrained baseline. */
function h264Profile(codec: OfferCodec): string {
  return (fmtpParameters(codec).get('profile-level-id') ?? '42e01f').slice(0, 4).toLowerCase();
}

/**
 * The codec the SFU takes from a publisher's media line: Opus for audio; for video the first of `preference` the
 * offer has (among H.264 entries, constrained baseline first, which every decoder takes). Null: none fits.
 */
export function pickPublishCodec(media: OfferMedia, preference: readonly VideoCodecName[]): OfferCodec | null {
  const codecs = media.codecs.filter(usable);
  if (media.kind === 'audio') {
    return codecs.find((codec) => codec.name === 'OPUS') ?? null;
  }
  if (media.kind !== 'video') {
    return null;
  }
  for (const name of preference) {
    const named = codecs.filter((codec) => codec.name === name);
    const best = name === 'H264' ? (named.find((codec) => ['42e0', '4200'].includes(h264Profile(codec))) ?? named[0]) : named[0];
    if (best !== undefined) {
      return best;
    }
  }
  return null;
}

/**
 * The subscriber's entry for the codec `source` a publisher sends, in the subscriber's own payload numbering; for
 * H.264 the same profile when the subscriber offers it. Null: the subscriber cannot take it.
 */
export function pickSubscribeCodec(media: OfferMedia, source: OfferCodec): OfferCodec | null {
  const same = media.codecs.filter((codec) => codec.name === source.name && usable(codec));
  if (source.name === 'H264') {
    return same.find((codec) => h264Profile(codec) === h264Profile(source)) ?? same[0] ?? null;
  }
  return same[0] ?? null;
}

/** The id the offer gave the audio-level header extension, or 0 when it has none. */
export function audioLevelId(media: OfferMedia): number {
  return media.extmaps.find((extmap) => extmap.uri === AUDIO_LEVEL_URI)?.id ?? 0;
}

/** Every codec of a subscriber's media line the SFU could forward to it (one per name; H.264 one per profile). */
export function forwardableCodecs(media: OfferMedia): OfferCodec[] {
  const seen = new Set<string>();
  const codecs: OfferCodec[] = [];
  for (const codec of media.codecs) {
    const key = codec.name === 'H264' ? `H264/${h264Profile(codec)}` : codec.name;
    const fits = media.kind === 'audio' ? codec.name === 'OPUS' : codec.name !== 'OPUS';
    if (fits && usable(codec) && !seen.has(key)) {
      seen.add(key);
      codecs.push(codec);
    }
  }
  return codecs;
}
