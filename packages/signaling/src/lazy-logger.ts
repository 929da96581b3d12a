import type { Logger } from './options.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** What pino offers to ask whether a level is on; other loggers are taken to log everything. */
interface LevelAware {
  isLevelEnabled?: (level: string) => boolean;
}

/**
 * Whether `parent` logs at `level` (pino's `isLevelEnabled`; other loggers are taken to log everything).
 * A line logged on every socket or session asks first, so that an idle one never makes its logger.
 */
export function logsAt(parent: Logger, level: Level): boolean {
  const check = (parent as LevelAware).isLevelEnabled;
  return typeof check !== 'function' || check.call(parent, level);
}

/**
 * `parent.child(bindings)`, made on its first use rather than up front: connections and sessions each bind
 * one, and most never log anything. A line at a level the parent has off (pino's `isLevelEnabled`) makes no
 * child either.
 */
export class LazyChildLogger implements Logger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  private emit(level: Level, obj: object | string, msg: string | undefined): void {
    if (!logsAt(this.parent, level)) {
      return;
    }
    const log = (this.made ??= this.parent.child(this.bindings));
    if (typeof obj === 'string') {
      log[level](obj);
    } else {
      log[level](obj, msg);
    }
  }

  debug(obj: object | string, msg?: string): void {
    this.emit('debug', obj, msg);
  }

  info(obj: object | string, msg?: string): void {
    this.emit('info', obj, msg);
  }

  warn(obj: object | string, msg?: string): void {
    this.emit('warn', obj, msg);
  }

  error(obj: object | string, msg?: string): void {
    this.emit('error', obj, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return (this.made ??= this.parent.child(this.bindings)).child(bindings);
  }
}
