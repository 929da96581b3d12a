import ndc from 'node-datachannel';
import type { Logger } from '@rendezvous/common';

/** The loggers of the SFUs running in this process, newest last; libdatachannel's lines go to the newest. */
const loggers: Logger[] = [];

/**
 * One SFU starts using libdatachannel: its own log lines (warnings and worse) go to `log` instead of stderr.
 * libdatachannel's logger and threads are per process, and its log callback keeps Node's event loop alive: the last
 * SFU to stop (`release`) cleans them up, so a process with no SFU left can exit.
 */
export function useNativeStack(log: Logger): () => void {
  if (loggers.length === 0) {
    ndc.initLogger('Warning', (level, message) => {
      const target = loggers.at(-1);
      if (level === 'Warning') {
        target?.warn({ component: 'libdatachannel' }, message);
      } else {
        target?.error({ component: 'libdatachannel', level }, message);
      }
    });
  }
  loggers.push(log);
  let released = false;
  return () => {
    if (released) {
      return;
    }
    released = true;
    loggers.splice(loggers.lastIndexOf(log), 1);
    if (loggers.length === 0) {
      ndc.cleanup();
    }
  };
}
