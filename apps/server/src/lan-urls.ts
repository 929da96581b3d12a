import { networkInterfaces } from 'node:os';

/** The URLs a person can open: localhost first, then one per non-internal IPv4 address. */
export function reachableUrls(host: string, port: number, scheme: 'http' | 'https'): { local: string; lan: string[] } {
  const local = `${scheme}://localhost:${port}`;
  if (host !== '0.0.0.0' && host !== '::') {
    const shown = host.includes(':') ? `[${host}]` : host;
    return { local: `${scheme}://${shown}:${port}`, lan: [] };
  }
  const lan: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) {
        lan.push(`${scheme}://${address.address}:${port}`);
      }
    }
  }
  return { local, lan };
}
