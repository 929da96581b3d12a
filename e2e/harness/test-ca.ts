/**
 * A certificate authority that exists only for the test run: it signs the server certificate (TURN over
 * TLS), and `trustTestCa` puts it into a browser's NSS certificate database, so the browsers verify the
 * TLS connection for real instead of being told to ignore errors.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TestCa {
  caPath: string;
  /** A server certificate for 127.0.0.1, ::1 and localhost, signed by the CA. */
  certPath: string;
  keyPath: string;
}

let cached: Promise<TestCa> | undefined;

export function testCa(): Promise<TestCa> {
  cached ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rendezvous-test-ca-'));
    const ca = await generate([{ name: 'commonName', value: 'Rendezvous test CA' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      curve: 'P-256',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    const server = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      curve: 'P-256',
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
          ],
        },
      ],
    });
    const paths = { caPath: join(dir, 'ca.pem'), certPath: join(dir, 'server.pem'), keyPath: join(dir, 'server.key') };
    writeFileSync(paths.caPath, ca.cert);
    writeFileSync(paths.certPath, server.cert);
    writeFileSync(paths.keyPath, server.private, { mode: 0o600 });
    return paths;
  })();
  return cached;
}

/** Creates an NSS database in `dir` (a Firefox profile, or $HOME/.pki/nssdb for Chromium) trusting the CA. */
export function trustTestCa(dir: string, caPath: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'rendezvous-test-ca', '-t', 'C,,', '-i', caPath]);
}
