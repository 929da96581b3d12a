import type { Connection } from './connection.js';
import type { SignalingContext } from './context.js';

/**
 * Whether `conn` is still alive: pings it and waits up to resumeProbeMs for any frame or pong. Resolves
 * false when it stays silent or closes. Used before a resume token may take a session off an open socket.
 */
export function probeAlive(ctx: SignalingContext, conn: Connection): Promise<boolean> {
  return new Promise((resolve) => {
    let timer: unknown = null;
    const cancel = conn.onNextActivity((answered) => {
      if (timer !== null) ctx.clock.clearTimeout(timer);
      timer = null;
      resolve(answered);
    });
    if (conn.closed) return; // already answered false
    timer = ctx.clock.setTimeout(() => {
      timer = null;
      cancel();
      resolve(false);
    }, ctx.limits.resumeProbeMs);
    try {
      conn.ws.ping();
    } catch {
      // A socket that cannot be pinged is as good as silent; the timer decides.
    }
  });
}
