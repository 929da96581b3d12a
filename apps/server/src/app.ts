import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { attachPeerjs, type PeerjsServer } from '@rendezvous/peerjs';
import { Sfu, type SfuOptions } from '@rendezvous/sfu';
import { createSignalingServer, type PeerDirectory, type SignalingOptions, type SignalingServer } from '@rendezvous/signaling';
import { createClientView, type ClientView } from './client-address.js';
import type { Config } from './config.js';
import { createHttpHandler } from './http-handler.js';
import { HttpHits } from './http-hits.js';
import { createBoundedServer } from './http-server.js';
import { createLogger, type Logger } from './logger.js';
import { createOriginPolicy } from './origin-policy.js';
import { KeyedRateLimiter } from './rate-limiter.js';
import { securityHeaders } from './security-headers.js';
import { loadTls } from './tls.js';
import { createTrustedHosts, type TrustedHosts } from './trusted-hosts.js';
import { startTurnService, type TurnService } from './turn-service.js';
import { VERSION } from './version.js';
import { mountWhip } from './whip-mount.js';

export interface RunningServer {
  readonly config: Config;
  readonly port: number;
  /** http(s)://host:port as bound (127.0.0.1 when bound to 0.0.0.0). */
  readonly origin: string;
  readonly scheme: 'http' | 'https';
  readonly selfSignedCert: boolean;
  readonly httpServer: Server;
  readonly signaling: SignalingServer;
  /** The PeerServer-compatible endpoint at config.peerjsPath. */
  readonly peerjs: PeerjsServer;
  /** The built-in STUN/TURN server, unless turned off. */
  readonly turn: TurnService | undefined;
  /** The built-in SFU (media of rooms in SFU mode), unless turned off. */
  readonly sfu: Sfu | undefined;
  readonly logger: Logger;
  /** Tells clients, closes every socket and the listener. Idempotent. */
  close(reason?: string): Promise<void>;
}

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Tells clients, then closes every socket and the listeners, in that order. Idempotent. */
function closer(
  signaling: SignalingServer,
  peerjs: PeerjsServer,
  httpServer: Server,
  turn: TurnService | undefined,
  sfu: Sfu | undefined,
): (reason?: string) => Promise<void> {
  let closing: Promise<void> | undefined;
  return (reason = 'server shutting down') => {
    closing ??= (async () => {
      peerjs.close();
      await signaling.close(reason);
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await sfu?.close();
      await turn?.close();
    })();
    return closing;
  };
}

/** The signaling server's limits, from the config (one setting each). */
function signalingLimits(config: Config): SignalingOptions['limits'] {
  return {
    roomCapacity: config.roomCapacity,
    sfuRoomCapacity: config.sfuRoomCapacity,
    maxRooms: config.maxRooms,
    maxSessions: config.maxSessions,
    maxFrameBytes: config.maxFrameBytes,
    maxRoomEventBytes: config.maxRoomEventBytes,
    relayBytesPerSecond: config.relayBytesPerSecond,
    rateLimitPerSecond: config.rateLimitPerSecond,
    rateLimitBurst: config.rateLimitBurst,
    rateLimitHoldFrames: config.rateLimitHoldFrames,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    resumeGraceMs: config.resumeGraceMs,
    ringTimeoutMs: config.ringTimeoutMs,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    maxSessionsPerAddress: config.maxSessionsPerAddress,
    joinsPerAddressPerMinute: config.joinsPerAddressPerMinute,
    callsPerCallerPerMinute: config.callsPerCallerPerMinute,
    memoryBudgetBytes: config.memoryBudgetBytes,
    maxQueuedBytesWhileDetached: config.maxQueuedBytesWhileDetached,
    maxQueuedBytesPerAddress: config.maxQueuedBytesPerAddress,
    drainTimeoutMs: config.drainTimeoutMs,
    resumeProbeMs: config.resumeProbeMs,
  };
}

/** Signaling on /ws of `server`: origin policy, per-address keys (an IPv6 /64 is one address), ICE servers. */
function attachSignaling(
  config: Config,
  deps: {
    server: Server;
    logger: Logger;
    registry: Registry;
    turn: TurnService | undefined;
    client: ClientView;
    trustedHosts: TrustedHosts;
    directory: PeerDirectory;
    sfu: Sfu | undefined;
  },
): SignalingServer {
  const { logger, client } = deps;
  return createSignalingServer({
    server: deps.server,
    path: '/ws',
    logger: logger.child({ component: 'signaling' }),
    registry: deps.registry,
    iceServers: ({ peerId, request }) => deps.turn?.iceServers(request, peerId) ?? [],
    clientAddress: (request) => client.limitKey(request),
    directory: deps.directory,
    ...(deps.sfu === undefined ? {} : { sfu: deps.sfu }),
    defaultRoomMode: config.roomMode,
    checkOrigin: createOriginPolicy({
      allowedOrigins: config.allowedOrigins,
      trustedHosts: deps.trustedHosts,
      client,
      onUntrustedOwnHost: (host) =>
        logger.warn(
          { host },
          `refused /ws from this server's own page at ${host}: not a trusted host name; start with --public-host ${host} (or --allowed-origin)`,
        ),
    }),
    limits: signalingLimits(config),
  });
}

/**
 * The PeerServer-compatible endpoint at config.peerjsPath, under the signaling server's per-address and rate
 * bounds. PeerServer answers any origin, and so does this endpoint: peerjs apps are served from their own sites.
 */
function attachPeerjsEndpoint(
  config: Config,
  deps: { server: Server; logger: Logger; registry: Registry; client: ClientView },
): PeerjsServer {
  const { client, registry } = deps;
  return attachPeerjs({
    server: deps.server,
    path: config.peerjsPath,
    logger: deps.logger.child({ component: 'peerjs' }),
    otherUpgradePaths: ['/ws'],
    registry,
    clientAddress: (request) => client.limitKey(request),
    limits: {
      key: config.peerjsKey,
      allow_discovery: config.peerjsAllowDiscovery,
      concurrent_limit: config.peerjsConcurrentLimit,
      alive_timeout: config.peerjsAliveTimeoutMs,
      expire_timeout: config.peerjsExpireTimeoutMs,
      leave_timeout: config.peerjsLeaveTimeoutMs,
      max_connections_per_address: config.maxConnectionsPerAddress,
      rate_limit_per_second: config.rateLimitPerSecond,
      rate_limit_burst: config.rateLimitBurst,
    },
  });
}

/** The SFU on its one UDP port, announcing --sfu-announced-address (or the TURN server's external address). */
function startSfu(
  config: Config,
  deps: { registry: Registry; logger: Logger; extra: Partial<SfuOptions> | undefined },
): Promise<Sfu> {
  const announced =
    config.sfuAnnouncedAddress.length > 0 ? config.sfuAnnouncedAddress : [config.turnExternalIp].filter((ip) => ip !== undefined);
  return Sfu.start({
    port: config.sfuPort,
    bindAddress: config.sfuHost ?? (config.host === '::' ? '0.0.0.0' : config.host),
    announcedAddresses: announced,
    limits: {
      maxConnections: config.sfuMaxConnections,
      maxConnectionsPerAddress: config.sfuMaxConnectionsPerAddress,
      connectTimeoutMs: config.sfuConnectTimeoutMs,
    },
    registry: deps.registry,
    log: deps.logger.child({ component: 'sfu' }),
    ...deps.extra,
  });
}

/** Starts the whole product in this process: HTTP(S) routes, web app, signaling on /ws. */
export async function startRendezvous(
  config: Config,
  options: { logger?: Logger; stateDir?: string; sfu?: Pick<SfuOptions, 'dropForwarded'> } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const startedAt = Date.now();

  const stateDir = options.stateDir ?? '.rendezvous';
  const tls = config.https ? await loadTls({ cert: config.cert, key: config.key, dir: join(stateDir, 'tls') }) : undefined;
  const client = createClientView({ trustProxy: config.trustProxy, scheme: tls ? 'https' : 'http' });
  const trustedHosts = createTrustedHosts({ publicHost: config.publicHost, allowedOrigins: config.allowedOrigins });
  const turnDeps = { registry, logger: logger.child({ component: 'turn' }), stateDir, trustedHosts, client };
  const turn = config.turn ? await startTurnService(config, turnDeps) : undefined;
  // Whatever started is closed again when a later step fails, so a failed start leaves nothing running.
  let sfu: Sfu | undefined;
  let httpServer: Server | undefined;
  let signaling: SignalingServer | undefined;
  let peerjs: PeerjsServer | undefined;
  try {
    sfu = config.sfu ? await startSfu(config, { registry, logger, extra: options.sfu }) : undefined;
    const hits = new HttpHits(registry, logger.child({ component: 'http' }));
    httpServer = createBoundedServer({
      tls,
      headersTimeoutMs: config.httpHeadersTimeoutMs,
      requestTimeoutMs: config.httpRequestTimeoutMs,
      // Behind a trusted proxy every connection comes from the proxy: a cap on its address would lock everyone out.
      maxConnectionsPerAddress: config.trustProxy ? undefined : config.maxHttpConnectionsPerAddress,
      hits,
    });

    peerjs = attachPeerjsEndpoint(config, { server: httpServer, logger, registry, client });
    // SDK peers (`peer-open` on /ws) share the endpoint's ids, so they and peerjs clients reach each other.
    const directory = peerjs.endpoint;
    signaling = attachSignaling(config, { server: httpServer, logger, registry, turn, client, trustedHosts, directory, sfu });
    const peerjsRoutes = peerjs;

    httpServer.on(
      'request',
      createHttpHandler({
        webRoot: config.webRoot ?? DEFAULT_WEB_ROOT,
        bodyRoutes: mountWhip(config, { httpServer, signaling, sfu, turn, client, hits, logger }).routes,
        extraRoutes: (req, res) => peerjsRoutes.handleRequest(req, res),
        registry,
        // One TURN identity per client address (IPv6: per /64), so the per-user quota binds per address, not per request.
        iceServers: (request, limitKey) => turn?.iceServers(request, `ip-${limitKey}`) ?? [],
        iceServersLimiter: new KeyedRateLimiter(config.iceServersPerAddressPerMinute),
        crossOriginIceServersPath: `${peerjs.base}${peerjs.endpoint.limits.key}/ice-servers`,
        client,
        headers: securityHeaders({ https: tls !== undefined, frameAncestors: config.frameAncestors }),
        hits,
        health: () => ({
          status: 'ok',
          version: VERSION,
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          ...signaling?.stats(),
        }),
      }),
    );

    await listen(httpServer, config.port, config.host);
  } catch (error) {
    peerjs?.close();
    await signaling?.close('server failed to start');
    httpServer?.closeAllConnections();
    await sfu?.close();
    await turn?.close();
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  const scheme = tls ? 'https' : 'http';
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  return {
    config,
    port,
    origin: `${scheme}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    scheme,
    selfSignedCert: tls?.selfSigned ?? false,
    httpServer,
    signaling,
    peerjs,
    turn,
    sfu,
    logger,
    close: closer(signaling, peerjs, httpServer, turn, sfu),
  };
}
