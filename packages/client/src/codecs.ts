/** Video codec choice: what this browser can send and receive, and a preference applied to a transceiver. */

/** The video codecs a user can prefer. */
export type VideoCodecName = 'VP8' | 'VP9' | 'H264' | 'AV1';

export const VIDEO_CODECS: readonly VideoCodecName[] = ['VP8', 'VP9', 'H264', 'AV1'];

export interface VideoCodecSupport {
  name: VideoCodecName;
  /** This browser can encode it (RTCRtpSender.getCapabilities). */
  send: boolean;
  /** This browser can decode it (RTCRtpReceiver.getCapabilities). */
  receive: boolean;
}

/** Where capabilities come from (the browser's RTCRtpSender/RTCRtpReceiver by default; tests pass their own). */
export interface CodecCapabilities {
  sender: RTCRtpCapabilities | null;
  receiver: RTCRtpCapabilities | null;
}

function capabilities(of: 'sender' | 'receiver'): RTCRtpCapabilities | null {
  const api = (globalThis as { RTCRtpSender?: typeof RTCRtpSender; RTCRtpReceiver?: typeof RTCRtpReceiver })[
    of === 'sender' ? 'RTCRtpSender' : 'RTCRtpReceiver'
  ];
  if (api === undefined || typeof api.getCapabilities !== 'function') {
    return null;
  }
  try {
    return api.getCapabilities('video');
  } catch {
    return null;
  }
}

export function browserVideoCapabilities(): CodecCapabilities {
  return { sender: capabilities('sender'), receiver: capabilities('receiver') };
}

/** `video/VP9` → `VP9` when it is one of ours (case-insensitive, as browsers differ), else null. */
export function videoCodecNameOf(mimeType: string): VideoCodecName | null {
  const [type, subtype] = mimeType.split('/');
  if (type?.toLowerCase() !== 'video' || subtype === undefined) {
    return null;
  }
  return VIDEO_CODECS.find((name) => name.toLowerCase() === subtype.toLowerCase()) ?? null;
}

function names(caps: RTCRtpCapabilities | null): Set<VideoCodecName> {
  const out = new Set<VideoCodecName>();
  for (const codec of caps?.codecs ?? []) {
    const name = videoCodecNameOf(codec.mimeType);
    if (name !== null) {
      out.add(name);
    }
  }
  return out;
}

/** For each codec a user can prefer: whether this browser can send it and receive it. */
export function videoCodecSupport(caps: CodecCapabilities = browserVideoCapabilities()): VideoCodecSupport[] {
  const send = names(caps.sender);
  const receive = names(caps.receiver);
  return VIDEO_CODECS.map((name) => ({ name, send: send.has(name), receive: receive.has(name) }));
}

/** The codecs this browser can both send and receive (what is worth offering as a choice). */
export function supportedVideoCodecs(caps: CodecCapabilities = browserVideoCapabilities()): VideoCodecName[] {
  return videoCodecSupport(caps)
    .filter((c) => c.send && c.receive)
    .map((c) => c.name);
}

/**
 * `codecs` reordered with every entry of `preferred` (all its profiles) first and the rest after, in their
 * order: the other codecs stay as fallback, and rtx, red, ulpfec and flexfec stay too. Null when `preferred`
 * is not among them.
 */
export function preferVideoCodec<T extends { mimeType: string }>(codecs: readonly T[], preferred: VideoCodecName): T[] | null {
  const first = codecs.filter((c) => videoCodecNameOf(c.mimeType) === preferred);
  if (first.length === 0) {
    return null;
  }
  return [...first, ...codecs.filter((c) => videoCodecNameOf(c.mimeType) !== preferred)];
}

/**
 * Applies a preference to a video transceiver before it is negotiated (`null`: the browser's default
 * order). False when the browser lacks `setCodecPreferences`, cannot receive the codec, or refuses.
 * The codec in use changes with the next offer/answer.
 */
export function applyVideoCodec(
  transceiver: RTCRtpTransceiver,
  preferred: VideoCodecName | null,
  caps: RTCRtpCapabilities | null = capabilities('receiver'),
): boolean {
  if (typeof transceiver.setCodecPreferences !== 'function' || transceiver.currentDirection === 'stopped') {
    return false;
  }
  try {
    if (preferred === null) {
      transceiver.setCodecPreferences([]);
      return true;
    }
    const ordered = preferVideoCodec(caps?.codecs ?? [], preferred);
    if (ordered === null) {
      return false;
    }
    transceiver.setCodecPreferences(ordered);
    return true;
  } catch {
    return false;
  }
}
