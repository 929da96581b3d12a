/**
 * Holds `count` TURN allocations on one server, each from its own UDP socket (its own 5-tuple) and its
 * own REST user (so per-user quotas do not apply): Allocate, 401 with REALM and NONCE, Allocate again
 * with MESSAGE-INTEGRITY. Used to measure the server's memory per allocation.
 */
import { createHmac } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import {
  MessageBuilder,
  StunClass,
  StunMethod,
  addNonce,
  addRealm,
  addRequestedTransport,
  addUsername,
  decodeMessage,
  getErrorCode,
  getNonce,
  getRealm,
  longTermKey,
  type StunMessage,
} from '@rendezvous/stun';

function exchange(socket: Socket, port: number, request: Buffer): Promise<StunMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      reject(new Error('no answer'));
    }, 5000);
    const onMessage = (packet: Buffer) => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      try {
        resolve(decodeMessage(packet));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    socket.on('message', onMessage);
    socket.send(request, port, '127.0.0.1');
  });
}

async function allocate(port: number, secret: string, user: string): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const first = new MessageBuilder(StunMethod.Allocate, StunClass.Request);
  addRequestedTransport(first);
  const challenge = await exchange(socket, port, first.build());
  const realm = getRealm(challenge);
  const nonce = getNonce(challenge);
  if (getErrorCode(challenge)?.code !== 401 || realm === undefined || nonce === undefined) {
    throw new Error('expected a 401 challenge');
  }
  const username = `${Math.floor(Date.now() / 1000) + 3600}:${user}`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  const request = new MessageBuilder(StunMethod.Allocate, StunClass.Request);
  addRequestedTransport(request);
  addUsername(request, username);
  addRealm(request, realm);
  addNonce(request, nonce);
  request.addMessageIntegrity(longTermKey(username, realm, password));
  const answer = await exchange(socket, port, request.build());
  if (answer.class !== StunClass.SuccessResponse) {
    socket.close();
    throw new Error(`Allocate failed: ${getErrorCode(answer)?.code ?? '?'} ${getErrorCode(answer)?.reason ?? ''}`);
  }
  return socket;
}

export interface HeldAllocations {
  count: number;
  failures: string[];
  release(): Promise<void>;
}

export async function holdAllocations(port: number, secret: string, count: number, concurrency = 100): Promise<HeldAllocations> {
  const sockets: Socket[] = [];
  const failures: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        try {
          sockets.push(await allocate(port, secret, `scale-${index}`));
        } catch (error) {
          if (failures.length < 5) {
            failures.push((error as Error).message);
          } else {
            failures.length += 0;
          }
        }
      }
    }),
  );
  return {
    count: sockets.length,
    failures,
    // Closing the sockets leaves the allocations to expire on the server; the server is stopped next.
    release: async () => {
      await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
    },
  };
}
