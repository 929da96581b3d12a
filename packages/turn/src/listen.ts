/**
 * Opening the listening sockets. A wildcard host is expanded to every local address, each bound on its own:
 * node:dgram cannot tell which address a datagram on a wildcard socket was sent to, and the relayed address
 * (and XOR-RELAYED-ADDRESS) must be on the address the client reached. UDP and TCP share one port number;
 * with port 0 the first UDP bind picks it and the rest follow, retrying on a conflict.
 */
import type dgram from 'node:dgram';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import { ipFamily, type TransportAddress } from '@rendezvous/stun';
import type { TurnEngine } from './engine.js';
import { TurnError } from './errors.js';
import { createUdpSocket } from './network.js';
import { StreamListener } from './stream-listener.js';
import { UdpListener } from './udp-listener.js';

const ATTEMPTS = 20;

/** Every local address for '0.0.0.0' or '::' (IPv4 first; IPv6 link-local skipped: it needs a scope), else [host]. */
export function expandHost(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') {
    return [host];
  }
  const v4: string[] = [];
  const v6: string[] = [];
  for (const infos of Object.values(os.networkInterfaces())) {
    for (const info of infos ?? []) {
      if (info.family === 'IPv4') {
        v4.push(info.address);
      } else if (!/^fe[89ab]/i.test(info.address)) {
        v6.push(info.address);
      }
    }
  }
  return [...new Set([...v4, ...v6])];
}

export interface Listeners {
  udp: UdpListener[];
  tcp: StreamListener[];
  tls: StreamListener[];
  port: number;
  tlsPort: number | undefined;
}

function bindUdp(address: string, port: number, bufferBytes: number): Promise<dgram.Socket> {
  const socket = createUdpSocket(ipFamily(address) ?? 'IPv4', bufferBytes);
  return new Promise((resolve, reject) => {
    socket.once('error', (error) => {
      try {
        socket.close();
      } catch {
        // never bound
      }
      reject(error);
    });
    socket.bind({ address, port, exclusive: true }, () => {
      socket.removeAllListeners('error');
      socket.on('error', () => {}); // the UdpListener logs from here on
      resolve(socket);
    });
  });
}

function listenStream(server: net.Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, ipv6Only: ipFamily(address) === 'IPv6', exclusive: true }, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function at(address: string, port: number): TransportAddress {
  return { address, port, family: ipFamily(address) ?? 'IPv4' };
}

export interface ListenPlan {
  host: string;
  port: number;
  tlsPort: number;
  tls: { cert: string | Buffer; key: string | Buffer } | undefined;
}

/** Binds UDP, TCP (and TLS) on every address of the plan. Throws TurnError('LISTEN_FAILED'). */
export async function openListeners(engine: TurnEngine, plan: ListenPlan): Promise<Listeners> {
  const addresses = expandHost(plan.host);
  if (addresses.length === 0) {
    throw new TurnError('LISTEN_FAILED', `no local address for ${plan.host}`);
  }
  for (let attempt = 1; ; attempt++) {
    const sockets: dgram.Socket[] = [];
    const servers: net.Server[] = [];
    try {
      let port = plan.port;
      for (const address of addresses) {
        const socket = await bindUdp(address, port, engine.limits.socketBufferBytes);
        sockets.push(socket);
        port = socket.address().port;
      }
      for (const address of addresses) {
        const server = net.createServer();
        servers.push(server);
        await listenStream(server, address, port);
      }
      let tlsPort = plan.tls === undefined ? undefined : plan.tlsPort;
      if (plan.tls !== undefined) {
        for (const address of addresses) {
          const server = tls.createServer({ cert: plan.tls.cert, key: plan.tls.key });
          servers.push(server);
          tlsPort = await listenStream(server, address, tlsPort!);
        }
      }
      const tcpCount = addresses.length;
      return {
        udp: sockets.map((socket, i) => new UdpListener(engine, socket, at(addresses[i]!, port))),
        tcp: servers.slice(0, tcpCount).map((server, i) => new StreamListener(engine, server, 'tcp', at(addresses[i]!, port))),
        tls: servers.slice(tcpCount).map((server, i) => new StreamListener(engine, server, 'tls', at(addresses[i]!, tlsPort!))),
        port,
        tlsPort,
      };
    } catch (error) {
      for (const socket of sockets) {
        socket.close();
      }
      for (const server of servers) {
        server.close();
      }
      const code = (error as NodeJS.ErrnoException).code;
      const picked = plan.port === 0 || (plan.tls !== undefined && plan.tlsPort === 0);
      if (code === 'EADDRINUSE' && picked && attempt < ATTEMPTS) {
        continue;
      }
      throw new TurnError('LISTEN_FAILED', `${plan.host} port ${plan.port}: ${code ?? String(error)}`, { cause: error });
    }
  }
}
