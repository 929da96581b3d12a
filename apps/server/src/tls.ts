import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** True when the certificate was generated here (browsers will warn once). */
  selfSigned: boolean;
}

function localAddresses(): string[] {
  const ips = ['127.0.0.1', '::1'];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (!a.internal) {
        ips.push(a.address);
      }
    }
  }
  return ips;
}

/**
 * The certificate for --https: the given files, or a self-signed certificate for localhost and every
 * local address, kept in `dir` so a phone that accepted it once keeps working across restarts.
 */
export async function loadTls(options: { cert?: string; key?: string; dir: string }): Promise<TlsMaterial> {
  if (options.cert !== undefined && options.key !== undefined) {
    return { cert: readFileSync(options.cert, 'utf8'), key: readFileSync(options.key, 'utf8'), selfSigned: false };
  }
  const certPath = join(options.dir, 'self-signed.crt');
  const keyPath = join(options.dir, 'self-signed.key');
  const ipsPath = join(options.dir, 'addresses.json');
  const ips = localAddresses();
  if (existsSync(certPath) && existsSync(keyPath) && existsSync(ipsPath)) {
    const known = JSON.parse(readFileSync(ipsPath, 'utf8')) as string[];
    if (ips.every((ip) => known.includes(ip))) {
      return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), selfSigned: true };
    }
  }
  const notAfterDate = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'rendezvous.local' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    curve: 'P-256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [{ type: 2, value: 'localhost' }, ...ips.map((ip) => ({ type: 7 as const, ip }))],
      },
    ],
  });
  mkdirSync(options.dir, { recursive: true });
  writeFileSync(certPath, pems.cert);
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(ipsPath, JSON.stringify(ips));
  return { cert: pems.cert, key: pems.private, selfSigned: true };
}
