/** Tiny read-only SDP helpers: the order of media sections and the DTLS fingerprints. */

export interface MediaSection {
  kind: string;
  mid: string | null;
}

/** The m-sections of an SDP, in order, with their kind (`audio`, `video`, `application`) and mid. */
export function mediaSections(sdp: string): MediaSection[] {
  const sections: MediaSection[] = [];
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      sections.push({ kind: line.slice(2).split(' ')[0] ?? '', mid: null });
    } else if (line.startsWith('a=mid:')) {
      const current = sections[sections.length - 1];
      if (current !== undefined) {
        current.mid = line.slice('a=mid:'.length);
      }
    }
  }
  return sections;
}

/**
 * The mids of the first audio and first video m-sections. On every link these carry the camera and the
 * microphone (the impolite side creates them first and m-sections never move), so both ends agree on them.
 */
export function primaryMids(sdp: string): { audio: string | null; video: string | null } {
  const sections = mediaSections(sdp);
  return {
    audio: sections.find((s) => s.kind === 'audio')?.mid ?? null,
    video: sections.find((s) => s.kind === 'video')?.mid ?? null,
  };
}

/** Every `a=fingerprint:` value of an SDP (session or media level), normalized to lower case. */
export function fingerprints(sdp: string): string[] {
  const out = new Set<string>();
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('a=fingerprint:')) {
      out.add(line.slice('a=fingerprint:'.length).trim().toLowerCase());
    }
  }
  return [...out];
}
