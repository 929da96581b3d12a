import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { RendezvousError, type ErrorCode, type IceServer } from '@rendezvous/protocol';
import { requestContext, sendError } from './http-errors.js';
import type { HttpHits } from './http-hits.js';
import type { KeyedRateLimiter } from './rate-limiter.js';
import type { WhipIngest } from './whip-ingest.js';
import { iceServerLinks } from './whip-link.js';

/** Largest SDP offer taken (the signaling protocol's own limit on an SDP is 60,000 characters). */
export const WHIP_MAX_OFFER_BYTES = 64 * 1024;

export interface WhipRouteOptions {
  /** The publishers; undefined when the server runs no SFU. */
  ingest: WhipIngest | undefined;
  /** The bearer token a client must send; undefined: WHIP ingest is off. */
  streamKey: string | undefined;
  /** STUN/TURN servers with a fresh credential for `userId`, named as `request` reached us. */
  iceServers(request: IncomingMessage, userId: string): IceServer[] | Promise<IceServer[]>;
  /** The client's limit key (an IPv6 /64 is one address). */
  address(request: IncomingMessage): string;
  /** Wrong stream keys allowed per address: an address that spent them is refused (429) before its key is read. */
  keyFailures: KeyedRateLimiter;
  hits: HttpHits;
}

/** `/live/<name>/whip` (the WHIP endpoint) and `/live/<name>/whip/<id>` (a WHIP session), RFC 9725. */
const WHIP_PATH = /^\/live\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})\/whip(?:\/([A-Za-z0-9_-]{1,64}))?\/?$/;
const ENDPOINT_METHODS = 'POST, OPTIONS';
const RESOURCE_METHODS = 'DELETE, OPTIONS';

/** What a refusal of the SFU or of signaling answers over HTTP. */
const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  SFU_BAD_OFFER: 400,
  SFU_CODEC_UNSUPPORTED: 422,
  SFU_UNAVAILABLE: 409,
  ROOM_FULL: 409,
  ROOM_LIMIT: 503,
  SFU_LIMIT: 503,
};

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** True when the request carries `Authorization: Bearer <key>`; compared in constant time (of the digests). */
function authorized(req: IncomingMessage, key: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(key));
}

/** The request body, at most `limit` bytes; null past it (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  headers: OutgoingHttpHeaders = {},
): void {
  req.resume();
  sendError(res, status, code, message, headers);
}

/** A refusal of the SFU or of signaling, with its status; anything else is our failure (500). */
function failed(hits: HttpHits, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const status = error instanceof RendezvousError ? STATUS_OF[error.code] : undefined;
  if (res.headersSent) {
    res.destroy();
  } else if (error instanceof RendezvousError && status !== undefined) {
    refuse(req, res, status, error.code, error.message);
  } else {
    hits.hit('internal', { ...requestContext(req), err: error });
    refuse(req, res, 500, 'INTERNAL', 'The server failed to handle this request.');
  }
}

/** The checks every WHIP request passes: ingest on, the stream key, an SFU. Null when refused (and answered). */
function admit(options: WhipRouteOptions, req: IncomingMessage, res: ServerResponse): WhipIngest | null {
  if (options.streamKey === undefined) {
    refuse(req, res, 403, 'UNAUTHORIZED', 'WHIP ingest is off on this server: start it with --live-stream-key.');
    return null;
  }
  const address = options.address(req);
  const guessing = options.keyFailures.peek(address);
  if (!guessing.ok) {
    options.hits.hit('whip_key_rate', { ...requestContext(req), address });
    refuse(req, res, 429, 'HTTP_RATE_LIMITED', 'Too many wrong stream keys from this address: try again later.', {
      'retry-after': String(guessing.retryAfterSeconds),
    });
    return null;
  }
  if (!authorized(req, options.streamKey)) {
    options.keyFailures.take(address);
    refuse(req, res, 401, 'UNAUTHORIZED', 'Send the stream key as Authorization: Bearer <key>.', {
      'www-authenticate': 'Bearer realm="whip"',
    });
    return null;
  }
  if (options.ingest === undefined) {
    refuse(req, res, 503, 'SFU_UNAVAILABLE', 'WHIP ingest needs the SFU, which is off on this server (--no-sfu).');
    return null;
  }
  return options.ingest;
}

/** POST on the endpoint: a new publisher in `room`, answered with 201 (RFC 9725 §4.2). */
async function create(
  options: WhipRouteOptions,
  ingest: WhipIngest,
  room: string,
  ...[req, res]: Parameters<Handler>
): Promise<void> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/sdp') {
    return refuse(req, res, 415, 'BAD_REQUEST', 'Send the SDP offer with Content-Type: application/sdp.');
  }
  const offer = await readBody(req, WHIP_MAX_OFFER_BYTES);
  if (offer === null) {
    return refuse(req, res, 413, 'BAD_REQUEST', `The offer is larger than ${WHIP_MAX_OFFER_BYTES} bytes.`);
  }
  if (!offer.startsWith('v=0')) {
    return refuse(req, res, 400, 'SFU_BAD_OFFER', 'The body is not an SDP offer (it must start with v=0).');
  }
  const { resource, answer } = await ingest.publish(room, offer, options.address(req));
  let links: string[] = [];
  try {
    links = iceServerLinks(await options.iceServers(req, `whip-${resource.id}`));
  } catch (error) {
    options.hits.hit('internal', { ...requestContext(req), err: error, why: 'no ICE servers for a WHIP answer' });
  }
  res.writeHead(201, {
    'content-type': 'application/sdp',
    'content-length': Buffer.byteLength(answer),
    'cache-control': 'no-store',
    location: `/live/${room}/whip/${resource.id}`,
    etag: resource.etag,
    ...(links.length === 0 ? {} : { link: links }),
  });
  res.end(answer);
}

/** DELETE on a publisher's Location: it ends (RFC 9725 §4.2: 200). */
function remove(ingest: WhipIngest, room: string, id: string, ...[req, res]: Parameters<Handler>): void {
  req.resume();
  if (ingest.get(id)?.room !== room || !ingest.remove(id)) {
    return sendError(res, 404, 'NOT_FOUND', 'No such WHIP session (it ended, or never was).');
  }
  res.writeHead(200, { 'cache-control': 'no-store', 'content-length': 0 });
  res.end();
}

/**
 * The WHIP routes, tried before the read-only routes: true when `pathname` is one of them (and the request answered).
 * POST to the endpoint creates a publisher (201, the answer, Location, ETag, Link); DELETE on its Location ends it
 * (200). Trickle and ICE restarts (PATCH) are not supported: 405, as RFC 9725 §4.3.1 allows.
 */
export function createWhipRoutes(
  options: WhipRouteOptions,
): (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean {
  return (req, res, pathname) => {
    const match = WHIP_PATH.exec(pathname);
    if (match === null) {
      return false;
    }
    const [, room = '', id] = match;
    const allow = id === undefined ? ENDPOINT_METHODS : RESOURCE_METHODS;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { allow, 'cache-control': 'no-store' });
      res.end();
      return true;
    }
    if (req.method !== (id === undefined ? 'POST' : 'DELETE')) {
      options.hits.hit('method', requestContext(req));
      refuse(req, res, 405, 'METHOD_NOT_ALLOWED', `${req.method ?? '?'} is not supported here; ${allow} are.`, { allow });
      return true;
    }
    const ingest = admit(options, req, res);
    if (ingest !== null && id !== undefined) {
      remove(ingest, room, id, req, res);
    } else if (ingest !== null) {
      create(options, ingest, room, req, res).catch((error: unknown) => failed(options.hits, req, res, error));
    }
    return true;
  };
}
