import { ConfigError } from './config.js';
import { startPeerjsStandalone } from './peerjs-standalone.js';
import { loadPeerjsStandaloneConfig, peerjsStandaloneHelp, readStandaloneTls } from './peerjs-standalone-options.js';
import { VERSION } from './version.js';

export const PEERJS_USAGE = `Usage: rendezvous peerjs [options]

Runs only a PeerServer-compatible endpoint, for apps on the unmodified peerjs client
(new Peer(id, { host, port, path, key })). Flags are PeerServer's, with its defaults:
"peerjs --port 9000 --path /myapp" becomes "rendezvous peerjs --port 9000 --path /myapp".
GET /healthz and /metrics are served beside it.

Options:
${peerjsStandaloneHelp()}
`;

/** Writes why the server could not listen, and returns the exit code. */
function startFailed(error: unknown, port: number): number {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    process.stderr.write(`Port ${port} is in use. Pick another with --port.\n`);
  } else if (code === 'EACCES') {
    process.stderr.write(`No permission to listen on port ${port}.\n`);
  } else {
    process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  return 1;
}

/** `rendezvous peerjs [options]`: resolves with the exit code (2 for bad flags, 0 after SIGINT/SIGTERM). */
export async function peerjsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(PEERJS_USAGE);
    return 0;
  }
  let config;
  let tls;
  try {
    config = loadPeerjsStandaloneConfig(args, env);
    tls = readStandaloneTls(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nRun "rendezvous peerjs --help" for every option.\n`);
      return 2;
    }
    throw error;
  }

  let server;
  try {
    server = await startPeerjsStandalone(config, { tls });
  } catch (error) {
    return startFailed(error, config.port);
  }
  const secure = tls === undefined ? '' : ', secure: true';
  process.stdout.write(
    [
      `Rendezvous ${VERSION} PeerServer endpoint is running at ${server.url}`,
      `  Clients: new Peer(id, { host: '<this host>', port: ${server.port}, path: '${config.path}', key: '${config.key}'${secure} })`,
      `  Health:  ${server.origin}/healthz   Metrics: ${server.origin}/metrics`,
    ].join('\n') + '\n',
  );

  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      server.logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => resolve(1), 10_000);
      force.unref();
      server.close().then(
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
