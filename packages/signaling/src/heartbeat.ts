import type { Connection } from './connection.js';
import { safely, type SignalingContext } from './context.js';

/**
 * Pings every socket each interval. A socket that has not answered (pong or any frame) since the previous
 * tick is handed to `onDead`, so a dead socket goes within two intervals. Returns the stop function.
 */
export function startHeartbeat(ctx: SignalingContext, onDead: (conn: Connection) => void): () => void {
  const handle = ctx.clock.setInterval(() => {
    for (const conn of [...ctx.connections]) {
      safely(conn, 'heartbeat', () => check(conn, onDead));
    }
  }, ctx.limits.heartbeatIntervalMs);
  return () => ctx.clock.clearInterval(handle);
}

function check(conn: Connection, onDead: (conn: Connection) => void): void {
  if (conn.closed) {
    return;
  }
  if (!conn.alive) {
    conn.log.debug('no pong within a heartbeat interval; terminating');
    onDead(conn);
    return;
  }
  conn.alive = false;
  conn.ping();
}
