import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { IceServer } from '@rendezvous/protocol';
import { createTurnServer, type TurnAddresses, type TurnServer } from '@rendezvous/turn';
import type { Config } from './config.js';
import type { ClientView } from './client-address.js';
import { allocationQuotaFor, openFileLimit } from './fd-limit.js';
import { hostOf, iceServersFor, type HostChoice } from './ice-servers.js';
import { reachableUrls } from './lan-urls.js';
import type { Logger } from './logger.js';
import { loadTls } from './tls.js';
import type { TrustedHosts } from './trusted-hosts.js';

export interface TurnService {
  server: TurnServer;
  addresses: TurnAddresses;
  /** True when the secret was generated at start (not from TURN_SECRET / --turn-secret). */
  randomSecret: boolean;
  secret: string;
  /** STUN and TURN entries, with a fresh credential, for a client that reached us through `request`. */
  iceServers(request: IncomingMessage | undefined, userId: string): IceServer[];
  close(): Promise<void>;
}

/** The address TURN listens on, when it listens on one address only. */
function listenHost(config: Config): string | undefined {
  return config.turnHost !== undefined && config.turnHost !== '0.0.0.0' && config.turnHost !== '::' ? config.turnHost : undefined;
}

/** The host to name in ICE URLs when there is no request to go by. */
function fallbackHost(): string {
  const lan = reachableUrls('0.0.0.0', 1, 'http').lan[0];
  return lan === undefined ? '127.0.0.1' : new URL(lan).hostname;
}

/** Starts the built-in STUN/TURN server on UDP+TCP (and TLS when configured). */
export async function startTurnService(
  config: Config,
  deps: {
    registry: Registry;
    logger: Logger;
    stateDir: string;
    trustedHosts: TrustedHosts;
    client: ClientView;
    /** The process's open-file limit (default: read from the system). */
    openFileLimit?: number | undefined;
  },
): Promise<TurnService> {
  const secret = config.turnSecret ?? randomBytes(24).toString('base64url');
  const tlsWanted = config.turnTlsPort !== undefined || config.cert !== undefined;
  const tls = tlsWanted ? await loadTls({ cert: config.cert, key: config.key, dir: join(deps.stateDir, 'tls') }) : undefined;
  const [relayMin, relayMax] = config.turnRelayPorts.split('-').map(Number) as [number, number];
  const users = Object.fromEntries(
    config.turnUsers.map((entry) => {
      const colon = entry.indexOf(':');
      return [entry.slice(0, colon), entry.slice(colon + 1)];
    }),
  );
  const fdLimit = 'openFileLimit' in deps ? deps.openFileLimit : openFileLimit();
  const { quota: maxAllocations, lowered } = allocationQuotaFor(config.turnMaxAllocations, fdLimit);
  if (lowered) {
    deps.logger.warn(
      { configured: config.turnMaxAllocations, allowed: maxAllocations, openFileLimit: fdLimit },
      'TURN allocations lowered to half the open-file limit, so relay sockets cannot starve WebSocket connections; raise the limit (ulimit -n) for more',
    );
  }
  const server = createTurnServer({
    host: config.turnHost ?? '0.0.0.0',
    port: config.turnPort,
    ...(tls === undefined ? {} : { tls: { cert: tls.cert, key: tls.key }, tlsPort: config.turnTlsPort ?? 5349 }),
    realm: config.turnRealm,
    secret,
    users,
    allowPeers: config.turnAllowPeers,
    // coturn's own clients (and other RFC 5766 clients) bind channels 0x5000-0x7FFF; accepting them costs nothing.
    legacyChannelNumbers: true,
    ...(config.turnExternalIp === undefined ? {} : { relayAddressOverride: config.turnExternalIp }),
    registry: deps.registry,
    logger: deps.logger,
    limits: {
      relayPortMin: relayMin,
      relayPortMax: relayMax,
      maxAllocationsPerUser: config.turnMaxAllocationsPerUser,
      maxAllocations,
      maxAllocationsPerAddress: config.turnMaxAllocationsPerAddress,
      maxStreamConnectionsPerAddress: config.turnMaxStreamConnectionsPerAddress,
      maxRelayBytesPerSecond: config.turnMaxRelayBytesPerSecond,
      maxCredentialTtlSec: config.turnMaxCredentialTtl,
    },
  });
  const addresses = await server.listen();
  const hosts: HostChoice = {
    publicHost: config.publicHost,
    trusted: deps.trustedHosts,
    hostHeader: (request) => deps.client.host(request),
    listenHost: listenHost(config),
    fallback: fallbackHost(),
  };
  const settings = { port: addresses.port, tlsPort: addresses.tlsPort, secret, ttlSeconds: config.turnCredentialTtl };
  return {
    server,
    addresses,
    randomSecret: config.turnSecret === undefined,
    secret,
    iceServers: (request, userId) => iceServersFor(settings, hostOf(request, hosts), userId),
    close: () => server.close(),
  };
}
