/**
 * What the pairing blob leaves out of a description, only where it is safe: the optional candidate extensions
 * `generation`, `network-id` and `network-cost` (a receiver may ignore extension attributes, RFC 8839 §5.1; a
 * description gathered to completion has every candidate in generation 0), and the CR of each CRLF. `expandSdp`
 * puts the CRLFs back.
 */

const DROPPED = new Set(['generation', 'network-id', 'network-cost']);

function compactCandidate(line: string): string {
  const tokens = line.split(' ');
  const typ = tokens.indexOf('typ');
  if (typ < 0) {
    return line;
  }
  const kept = tokens.slice(0, typ + 2);
  for (let i = typ + 2; i < tokens.length; i += 2) {
    const key = tokens[i]!;
    if (!DROPPED.has(key)) {
      kept.push(...tokens.slice(i, i + 2));
    }
  }
  return kept.join(' ');
}

export function compactSdp(sdp: string): string {
  return sdp
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map((line) => (line.startsWith('a=candidate:') ? compactCandidate(line) : line))
    .join('\n');
}

export function expandSdp(compact: string): string {
  const lines = compact.split('\n').filter((line) => line !== '');
  return `${lines.join('\r\n')}\r\n`;
}
