/** A log method in the pino style: `log.info({ peerId }, 'joined')` or `log.info('started')`. */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/** The subset of a pino logger a server logs through. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** A Logger that also derives loggers with bound fields, like pino's `child()`. */
export interface ChildLogger extends Logger {
  child(bindings: Record<string, unknown>): ChildLogger;
}

const noop = (): void => {};

/** Logs nothing; its children log nothing either. */
export const silentLogger: ChildLogger = { debug: noop, info: noop, warn: noop, error: noop, child: () => silentLogger };
