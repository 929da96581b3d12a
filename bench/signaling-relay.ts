/**
 * The native relay phase of the signaling comparison alone, printed, nothing written:
 * `node --conditions=source --import tsx bench/signaling-relay.ts`. The floor and our /ws, 1,000 clients by default
 * (BENCH_SIG_CLIENTS, BENCH_SIG_SLICES, BENCH_SIG_SLICE_MS as for `BENCH=signaling`). BENCH_SIG_TARGETS=ws runs /ws
 * alone; BENCH_SIG_TARGETS=peerjs runs the PeerJS workload against `peer` and our /peerjs instead. To profile the server: BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (written when it exits).
 */
import { summary, signalingOptionsFromEnv } from './signaling.js';
import { buildProduct, runLoad, startServer, type ServerProcess } from './signaling/processes.js';

const options = signalingOptionsFromEnv((line) => console.log(line));
const onlyWs = process.env['BENCH_SIG_TARGETS'] === 'ws';
const peerjs = process.env['BENCH_SIG_TARGETS'] === 'peerjs';
buildProduct();
const servers: ServerProcess[] = [];
try {
  const ours = await startServer('rendezvous');
  servers.push(ours);
  const protocol = peerjs ? ('peerjs' as const) : ('native' as const);
  const targets = [
    { name: `Rendezvous /${peerjs ? 'peerjs' : 'ws'}`, protocol, base: `ws://127.0.0.1:${ours.port}`, stats: ours.statsUrl },
  ];
  if (!onlyWs) {
    const other = await startServer(peerjs ? 'peer' : 'floor');
    servers.push(other);
    const name = peerjs ? 'peer' : 'floor';
    targets.unshift({ name, protocol, base: `ws://127.0.0.1:${other.port}`, stats: other.statsUrl });
  }
  for (const clients of options.clients) {
    const job = {
      mode: 'relay' as const,
      window: options.window,
      warmupMs: 1_000,
      slices: options.slices,
      sliceMs: options.sliceMs,
    };
    const results = await runLoad({ ...job, targets, clients });
    const rows = results.map((r) => ({ name: r.name, ...summary(r) }));
    rows.forEach((row) => console.log(`${clients} clients, ${row.name}: ${JSON.stringify(row)}`));
    if (rows.length === 2) {
      const [theirs, ours] = rows as [(typeof rows)[0], (typeof rows)[0]];
      console.log(
        `  ${targets[1]!.name} / ${targets[0]!.name}: rate ${(ours.rate / theirs.rate).toFixed(3)}×, CPU per message ${(ours.cpu / theirs.cpu).toFixed(3)}×`,
      );
    }
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
}
