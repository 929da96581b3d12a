import { startRendezvous, loadConfig, type Config, type RunningServer } from '@rendezvous/server';

/** Test hooks of the server's SFU (a lossy way out, for NACK tests). */
export interface SfuTestHooks {
  dropForwarded?: (packet: Buffer) => boolean;
}

/** A real Rendezvous server on 127.0.0.1 and a free port, configured for tests. */
export async function startTestServer(
  overrides: Partial<Config> = {},
  sfu: SfuTestHooks = {},
): Promise<RunningServer & { wsUrl: string }> {
  const config = loadConfig({
    argv: [],
    env: {},
    overrides: { host: '127.0.0.1', port: 0, logLevel: 'silent', turnHost: '127.0.0.1', turnPort: 0, sfuPort: 0, ...overrides },
  });
  const server = await startRendezvous(config, { sfu });
  return Object.assign(server, { wsUrl: `${server.origin.replace(/^http/, 'ws')}/ws` });
}
