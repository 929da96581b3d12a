/**
 * coturn's own clients against this server over real sockets on 127.0.0.1: turnutils_stunclient (Binding) and
 * turnutils_uclient (Allocate, Refresh, CreatePermission, ChannelBind, Send/Data, ChannelData, EVEN-PORT with
 * RESERVATION-TOKEN) over UDP, TCP and TLS, client to client (-y) and to an echo peer through the relay sockets.
 * uclient flags: -y client-to-client, -s Send indications instead of channels, -c no RTCP allocations (without
 * it, RTP/RTCP pairs use EVEN-PORT with the R bit), -t TCP, -S TLS, -e/-r the peer address.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import type { AllocationInfo } from './events.js';
import { createTurnServer, type TurnServer } from './server.js';
import { installed, parseUclient, run, selfSignedCertificate, type UclientReport } from './test-tools.js';

const SECRET = 'coturn-interop-secret';
const ECHO_HOST = '127.0.0.2';
const missing = ['turnutils_uclient', 'turnutils_stunclient', 'openssl'].filter((tool) => !installed(tool));

describe(
  'coturn clients',
  { skip: missing.length > 0 ? `not installed: ${missing.join(', ')}` : false, concurrency: true, timeout: 120_000 },
  () => {
    let server: TurnServer;
    let port = 0;
    let tlsPort = 0;
    let echo: dgram.Socket;
    let echoPort = 0;
    const created: AllocationInfo[] = [];

    before(async () => {
      const tls = selfSignedCertificate();
      server = createTurnServer({
        host: '127.0.0.1',
        port: 0,
        tlsPort: 0,
        tls,
        secret: SECRET,
        // turnutils_uclient picks channel numbers in 0x4000-0x7FFF (RFC 5766).
        legacyChannelNumbers: true,
        // The echo peer is on loopback (127.0.0.2: 127.0.0.1 is the server's own address, never a peer);
        // client-to-client traffic needs no exception (it stays in-process).
        allowPeers: ['127.0.0.0/8'],
        // turnutils_uclient's -W credentials claim a day of validity.
        limits: { maxAllocationsPerUser: 100, maxCredentialTtlSec: 2 * 86_400 },
      });
      server.on('allocation-created', (info) => created.push(info));
      ({ port, tlsPort } = (await server.listen()) as { port: number; tlsPort: number });
      echo = dgram.createSocket('udp4');
      echo.on('message', (data, from) => echo.send(data, from.port, from.address));
      await new Promise<void>((resolve) => echo.bind(0, ECHO_HOST, resolve));
      echoPort = echo.address().port;
    });

    after(async () => {
      await server.close();
      echo.close();
    });

    async function uclient(user: string, flags: string[], target = port): Promise<UclientReport> {
      const args = [...flags, '-W', SECRET, '-u', user, '-n', '60', '-l', '120', '-z', '5', '-p', String(target), '127.0.0.1'];
      const result = await run('turnutils_uclient', args);
      const report = parseUclient(result.output);
      assert.ok(report !== undefined, `no statistics from uclient ${args.join(' ')}:\n${result.output.slice(-2000)}`);
      return report;
    }

    function assertClean(report: UclientReport, clients: number): void {
      assert.equal(report.lost, 0, 'Total lost packets');
      assert.equal(report.sent, clients * 60);
      assert.equal(report.received, report.sent, 'every message came back');
    }

    it('turnutils_stunclient gets its reflexive address', async () => {
      const result = await run('turnutils_stunclient', ['-p', String(port), '127.0.0.1'], 20_000);
      assert.match(result.output, /UDP reflexive addr: 127\.0\.0\.1:\d+/);
    });

    it('UDP, channels, RTP/RTCP pairs through EVEN-PORT and RESERVATION-TOKEN: 0 lost', async () => {
      assertClean(await uclient('udp-rtcp', ['-y', '-m', '4']), 4);
      const ports = created.filter((c) => c.userId === 'udp-rtcp').map((c) => c.relayed.port);
      const pairs = ports.filter((p) => p % 2 === 0 && ports.includes(p + 1));
      assert.ok(pairs.length >= 2, `RTP ports with their RTCP port reserved: ${ports.join(', ')}`);
    });

    it('UDP, Send and Data indications: 0 lost', async () => {
      assertClean(await uclient('udp-send', ['-y', '-s', '-c', '-m', '2']), 2);
    });

    it('TCP, channels: 0 lost', async () => {
      assertClean(await uclient('tcp-channel', ['-t', '-y', '-c', '-m', '2']), 2);
    });

    it('TCP, Send and Data indications with RTCP pairs: 0 lost', async () => {
      assertClean(await uclient('tcp-send', ['-t', '-y', '-s', '-m', '4']), 4);
    });

    it('TLS, channels: 0 lost', async () => {
      assertClean(await uclient('tls-channel', ['-t', '-S', '-y', '-c', '-m', '2'], tlsPort), 2);
    });

    it('UDP to an echo peer through the relay sockets, channels and indications: 0 lost', async () => {
      const [channels, indications] = await Promise.all([
        uclient('peer-channel', ['-c', '-m', '2', '-e', ECHO_HOST, '-r', String(echoPort)]),
        uclient('peer-send', ['-s', '-c', '-m', '2', '-e', ECHO_HOST, '-r', String(echoPort)]),
      ]);
      assertClean(channels, 2);
      assertClean(indications, 2);
    });
  },
);
