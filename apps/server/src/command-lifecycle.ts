import type { Logger } from './logger.js';

/** Writes why a server could not listen on `port`, and returns the exit code (1). */
export function startFailed(error: unknown, port: number, portHint: string): number {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    process.stderr.write(`Port ${port} is in use. Pick another with ${portHint}.\n`);
  } else if (code === 'EACCES') {
    process.stderr.write(`No permission to listen on port ${port}.\n`);
  } else {
    process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  return 1;
}

/**
 * Serves until SIGTERM or SIGINT, then closes `server` and resolves with the exit code: 0 after a clean
 * close, 1 when closing failed or took more than 10 s.
 */
export function runUntilSignal(server: { logger: Logger; close(reason: string): Promise<void> }): Promise<number> {
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      server.logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => resolve(1), 10_000);
      force.unref();
      server.close(`server received ${signal}`).then(
        () => {
          clearTimeout(force);
          resolve(0);
        },
        () => resolve(1),
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
