import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Sfu } from '@rendezvous/sfu';
import type { SignalingServer } from '@rendezvous/signaling';
import type { ClientView } from './client-address.js';
import type { Config } from './config.js';
import type { HttpHits } from './http-hits.js';
import type { Logger } from './logger.js';
import type { TurnService } from './turn-service.js';
import { KeyedRateLimiter } from './rate-limiter.js';
import { WhipIngest } from './whip-ingest.js';
import { createWhipRoutes } from './whip-routes.js';

export interface WhipMount {
  /** The WHIP routes, for the HTTP handler's `bodyRoutes`. */
  routes: (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean;
  /** The publishers (undefined without an SFU). */
  ingest: WhipIngest | undefined;
  /** Ends every publisher. Idempotent. */
  close(): void;
}

/** WHIP ingest (RFC 9725) at /live/<name>/whip, as the config says: on with --live-stream-key and the SFU. */
export function mountWhip(
  config: Config,
  deps: {
    /** Its publishers end when it closes. */
    httpServer: Server;
    signaling: SignalingServer;
    sfu: Sfu | undefined;
    turn: TurnService | undefined;
    client: ClientView;
    hits: HttpHits;
    logger: Logger;
  },
): WhipMount {
  const ingest =
    deps.sfu === undefined
      ? undefined
      : new WhipIngest(
          deps.signaling,
          { maxPublishers: config.whipMaxPublishers, maxPublishersPerAddress: config.whipMaxPublishersPerAddress },
          deps.logger.child({ component: 'whip' }),
        );
  const routes = createWhipRoutes({
    ingest,
    streamKey: config.liveStreamKey,
    iceServers: (request, userId) => deps.turn?.iceServers(request, userId) ?? [],
    address: (request) => deps.client.limitKey(request),
    keyFailures: new KeyedRateLimiter(config.whipKeyFailuresPerMinute),
    hits: deps.hits,
  });
  deps.httpServer.once('close', () => ingest?.close());
  return { routes, ingest, close: () => ingest?.close() };
}
