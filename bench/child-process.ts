/**
 * What the benchmarks do with the processes they start: keep what a child prints (the pipe must keep flowing),
 * wait for its `ready …` line, and stop it.
 */
import type { ChildProcess } from 'node:child_process';

/** What `child` printed on stdout and stderr, the last `keep` characters of it. */
export function childOutput(child: ChildProcess, keep = Number.POSITIVE_INFINITY): () => string {
  let text = '';
  const add = (chunk: Buffer) => {
    text += chunk.toString();
    if (text.length > keep) {
      text = text.slice(-keep);
    }
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => text;
}

/** The first match of `ready` in what `child` prints; rejects, with its output, if it exits first. */
export function readyLine(child: ChildProcess, output: () => string, ready: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const onData = () => {
      const match = ready.exec(output());
      if (match !== null) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve(match);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`${what} exited (${code}):\n${output().slice(-2000)}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Stops `child` (SIGTERM, SIGKILL 5 s later) and resolves once it exited, after `after` ran. */
export function stopChild(child: ChildProcess, after: () => void = () => undefined): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      const done = () => {
        after();
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) {
        return done();
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
}
