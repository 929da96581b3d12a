import type { Connection } from './connection.js';
import type { SignalingContext } from './context.js';
import { Timer } from '@rendezvous/common';

/**
 * Whether `conn` is still alive: pings it and waits up to resumeProbeMs for any frame or pong. Resolves
 * false when it stays silent or closes. Used before a resume token may take a session off an open socket.
 */
export function probeAlive(ctx: SignalingContext, conn: Connection): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = new Timer(ctx.clock);
    const cancel = conn.onNextActivity((answered) => {
      timer.stop();
      resolve(answered);
    });
    if (conn.closed) {
      return;
    } // already answered false
    timer.start(ctx.limits.resumeProbeMs, () => {
      cancel();
      resolve(false);
    });
    try {
      conn.ping();
    } catch {
      // A socket that cannot be pinged is as good as silent; the timer decides.
    }
  });
}
