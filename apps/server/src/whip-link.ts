import type { IceServer } from '@rendezvous/protocol';

/** A Link parameter value as a quoted-string (RFC 8288 §3; RFC 9110 §5.6.4). */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * `servers` as the Link header values of a WHIP answer (RFC 9725 §4.6): one per URL, `rel="ice-server"`, and for TURN
 * the username and credential with `credential-type="password"`. URLs with characters a Link target may not hold
 * (`<`, `>`, whitespace) are left out.
 */
export function iceServerLinks(servers: readonly IceServer[]): string[] {
  const links: string[] = [];
  for (const server of servers) {
    const urls = typeof server.urls === 'string' ? [server.urls] : server.urls;
    for (const url of urls) {
      if (/[<>\s]/.test(url)) {
        continue;
      }
      let link = `<${url}>; rel="ice-server"`;
      if (server.username !== undefined && server.credential !== undefined) {
        link += `; username=${quoted(server.username)}; credential=${quoted(server.credential)}; credential-type="password"`;
      }
      links.push(link);
    }
  }
  return links;
}
