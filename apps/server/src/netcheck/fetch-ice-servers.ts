/** GET <base>/api/ice-servers over HTTP(S), optionally accepting a self-signed certificate. */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { IceServerSchema, type IceServer } from '@rendezvous/protocol';
import { z } from 'zod';
import { describeSocketError, ProbeError } from './stun-client.js';

const ResponseSchema = z.object({ iceServers: z.array(IceServerSchema) });
const MAX_BYTES = 1 << 20;

/** The ice-servers endpoint under `base` ("http://host:8080", "https://host/prefix/", or a bare "host:port"). */
export function iceServersUrl(base: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(base) ? base : `http://${base}`;
  const url = new URL(withScheme);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProbeError('BAD_URL', `not an http(s) URL: ${base}`);
  }
  if (!url.pathname.endsWith('/')) {
    url.pathname += '/';
  }
  url.search = '';
  url.hash = '';
  return new URL('api/ice-servers', url);
}

export async function fetchIceServers(url: URL, options: { insecure?: boolean; timeoutMs: number }): Promise<IceServer[]> {
  const body = await new Promise<string>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'GET',
        headers: { accept: 'application/json' },
        agent: false, // one request: no keep-alive socket left behind
        rejectUnauthorized: options.insecure !== true,
        timeout: options.timeoutMs,
      },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new ProbeError('FETCH_FAILED', `${url.href} answered HTTP ${res.statusCode ?? '?'}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BYTES) {
            req.destroy(new ProbeError('FETCH_FAILED', 'the answer is too large'));
          } else {
            chunks.push(chunk);
          }
        });
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new ProbeError('FETCH_FAILED', `no answer from ${url.host} within ${options.timeoutMs} ms`)),
    );
    req.on('error', (error) =>
      reject(
        error instanceof ProbeError
          ? error
          : new ProbeError('FETCH_FAILED', `cannot fetch ${url.href}: ${describeSocketError(error)}`),
      ),
    );
    req.end();
  });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ProbeError('FETCH_FAILED', `${url.href} did not answer JSON (is this a Rendezvous server?)`);
  }
  const parsed = ResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProbeError('FETCH_FAILED', `${url.href} did not answer { iceServers: [...] }`);
  }
  return parsed.data.iceServers;
}
