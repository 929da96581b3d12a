import { WebSocket } from 'ws';
import { CLOSE_CODES } from './close-codes.js';
import type { Connection } from './connection.js';
import type { SignalingContext } from './context.js';
import type { Intake } from './intake.js';
import { Timer } from '@rendezvous/common';

/** How long close() waits for clients to answer the close frame before cutting their sockets. */
export const SHUTDOWN_DRAIN_MS = 2_000;

/**
 * Stops intake, disposes every session and call (no timer survives), tells every socket `shutdown` and
 * closes it with 1001, cutting the ones that have not closed after SHUTDOWN_DRAIN_MS. Run it once.
 */
export async function shutdown(ctx: SignalingContext, intake: Intake, reason: string): Promise<void> {
  ctx.closing = true;
  intake.stopAccepting();
  disposeState(ctx);
  await closeSockets(ctx, [...ctx.connections], reason);
  ctx.connections.clear();
  ctx.budget.close();
  intake.close();
  ctx.log.info({ reason }, 'signaling closed');
}

/** Sessions do not survive a shutdown: each one, and each call, lets go of its timers and links. */
function disposeState(ctx: SignalingContext): void {
  for (const session of ctx.sessions.values()) {
    session.dispose();
  }
  for (const call of ctx.calls.values()) {
    call.dispose();
  }
  ctx.addresses.clear();
  ctx.calls.clear();
  ctx.sessions.clear();
  ctx.byToken.clear();
  ctx.rooms.clear();
}

async function closeSockets(ctx: SignalingContext, open: Connection[], reason: string): Promise<void> {
  const allClosed = Promise.all(
    open.map(
      (conn) =>
        new Promise<void>((resolve) =>
          conn.ws.readyState === WebSocket.CLOSED ? resolve() : conn.ws.once('close', () => resolve()),
        ),
    ),
  );
  for (const conn of open) {
    conn.send({ type: 'shutdown', reason });
    conn.close(CLOSE_CODES.goingAway, reason.slice(0, 120));
    conn.dispose();
  }
  const drain = new Timer(ctx.clock);
  const drained = new Promise<void>((resolve) => {
    drain.start(SHUTDOWN_DRAIN_MS, () => {
      for (const conn of open) {
        if (conn.ws.readyState !== WebSocket.CLOSED) {
          conn.terminate();
        }
      }
      resolve();
    });
  });
  await Promise.race([allClosed, drained]);
  drain.stop();
  await allClosed;
}
