/**
 * Network check: which ICE candidate types work from where the user sits. One throwaway RTCPeerConnection (or
 * a pair, for the relay probes) per probe, gathered with only the ICE servers that probe is about:
 *
 *   host        no ICE servers: local addresses
 *   srflx       the STUN url(s) only: the public address a NAT maps us to
 *   relay-udp   each TURN url alone, with its credential, iceTransportPolicy 'relay'
 *   relay-tcp   (turn:...?transport=tcp)
 *   relay-tls   (turns:...)
 *
 * A relay candidate proves the allocation worked. Each relay probe also connects two connections in this page
 * to each other, relay-only, and reports whether ICE connected (data channel open) through the relay.
 */
import { RendezvousError, type NetcheckErrorCode } from '@rendezvous/protocol';

export type NetworkProbe = 'host' | 'srflx' | 'relay-udp' | 'relay-tcp' | 'relay-tls';
/** Every probe, in the order results are reported. */
export const NETWORK_PROBES: readonly NetworkProbe[] = ['host', 'srflx', 'relay-udp', 'relay-tcp', 'relay-tls'];

/** `skipped`: the ICE servers offered no url for this probe. */
export type ProbeStatus = 'ok' | 'failed' | 'skipped';

export interface GatheredCandidate {
  type: 'host' | 'srflx' | 'prflx' | 'relay';
  /** An IP address, or an mDNS name (`<uuid>.local`) for host candidates the browser hides. */
  address: string;
  port: number;
  protocol: 'udp' | 'tcp';
  /** Relay candidates: how this browser reached the TURN server. */
  relayProtocol?: 'udp' | 'tcp' | 'tls';
}

export interface ProbeResult {
  probe: NetworkProbe;
  status: ProbeStatus;
  /** The ICE urls the probe used. */
  urls: string[];
  candidates: GatheredCandidate[];
  /** Milliseconds until the first candidate of the probed type (when ok), or until the probe gave up. */
  ms: number;
  /** Relay probes with a relay candidate: whether two connections in this page connected through the relay. */
  connected?: boolean;
  /** Milliseconds from the probe's start until that connection was up. */
  connectMs?: number;
  /** Why it failed, in words (the browser's ICE error when it gave one). */
  error?: string;
  /** Why it failed, as a code from `NETCHECK_ERROR_CATALOG`. */
  code?: NetcheckErrorCode;
}

export interface NetworkCheckResult {
  /** One result per probe, in `NETWORK_PROBES` order. */
  probes: ProbeResult[];
  ms: number;
}

export interface NetworkCheckOptions {
  /** How long one probe waits for gathering to complete (default 8000 ms). */
  timeoutMs?: number;
  /** How long a relay probe waits for its test connection (default `timeoutMs`). */
  connectTimeoutMs?: number;
  /** Try the relay test connections (default true). */
  connect?: boolean;
  /** Aborting closes every connection and rejects with an `AbortError`. */
  signal?: AbortSignal;
  /** Called as each probe finishes (probes run at the same time). */
  onProgress?: (result: ProbeResult) => void;
  /** The RTCPeerConnection constructor to use (default: the global one). */
  RTCPeerConnection?: typeof RTCPeerConnection;
}

/** What one probe uses; `config` is undefined when the servers offer nothing for it. */
export interface ProbePlan {
  probe: NetworkProbe;
  urls: string[];
  config: RTCConfiguration | undefined;
}

/** The probe an ICE url belongs to: `stun:` srflx, `turn:` relay-udp/-tcp by `?transport=`, `turns:` relay-tls. */
export function classifyIceUrl(url: string): NetworkProbe | null {
  const match = /^(stuns?|turns?):([^?]*)(?:\?(.*))?$/i.exec(url.trim());
  if (match === null) {
    return null;
  }
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'stun' || scheme === 'stuns') {
    return 'srflx';
  }
  if (scheme === 'turns') {
    return 'relay-tls';
  }
  const transport = new URLSearchParams(match[3] ?? '').get('transport')?.toLowerCase();
  return transport === 'tcp' ? 'relay-tcp' : 'relay-udp';
}

/** Splits the offered ICE servers into one configuration per probe, each with only the urls it tests. */
export function planNetworkProbes(iceServers: readonly RTCIceServer[]): ProbePlan[] {
  return NETWORK_PROBES.map((probe): ProbePlan => {
    if (probe === 'host') {
      return { probe, urls: [], config: { iceServers: [] } };
    }
    const servers: RTCIceServer[] = [];
    for (const server of iceServers) {
      const urls = (Array.isArray(server.urls) ? server.urls : [server.urls]).filter((url) => classifyIceUrl(url) === probe);
      if (urls.length === 0) {
        continue;
      }
      if (probe === 'srflx') {
        servers.push({ urls });
      } else {
        servers.push({ urls, username: server.username, credential: server.credential });
      }
    }
    const urls = servers.flatMap((server) => server.urls as string[]);
    if (servers.length === 0) {
      return { probe, urls, config: undefined };
    }
    return {
      probe,
      urls,
      config: probe === 'srflx' ? { iceServers: servers } : { iceServers: servers, iceTransportPolicy: 'relay' },
    };
  });
}

const CANDIDATE_TYPES: ReadonlySet<string> = new Set(['host', 'srflx', 'prflx', 'relay']);

/**
 * Parses an ICE candidate line (`candidate:<foundation> <component> <protocol> <priority> <address> <port> typ
 * <type> ...`, RFC 8839 §5.1), which every browser fills in; the RTCIceCandidate fields are not everywhere.
 */
export function parseCandidate(line: string, relayProtocol?: GatheredCandidate['relayProtocol']): GatheredCandidate | null {
  const parts = line.trim().replace(/^a=/, '').split(/\s+/);
  if (!parts[0]?.startsWith('candidate:') || parts.length < 8 || parts[6] !== 'typ') {
    return null;
  }
  const protocol = parts[2]!.toLowerCase();
  const type = parts[7]!;
  const port = Number(parts[5]);
  if ((protocol !== 'udp' && protocol !== 'tcp') || !CANDIDATE_TYPES.has(type) || !Number.isInteger(port)) {
    return null;
  }
  const candidate: GatheredCandidate = { type: type as GatheredCandidate['type'], address: parts[4]!, port, protocol };
  if (type === 'relay' && relayProtocol !== undefined) {
    candidate.relayProtocol = relayProtocol;
  }
  return candidate;
}

/** The candidate type a probe looks for. */
export function wantedType(probe: NetworkProbe): GatheredCandidate['type'] {
  return probe === 'host' ? 'host' : probe === 'srflx' ? 'srflx' : 'relay';
}

const RELAY_PROTOCOL: Partial<Record<NetworkProbe, GatheredCandidate['relayProtocol']>> = {
  'relay-udp': 'udp',
  'relay-tcp': 'tcp',
  'relay-tls': 'tls',
};

/** Resolves after `ms`, or at once when aborted; never rejects. */
function sleep(ms: number, signal: AbortSignal | undefined): { promise: Promise<void>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    onAbort = () => resolve();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return {
    promise,
    cancel() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Resolves when `pc` has finished gathering (state `complete`, or the end-of-candidates event). */
function gatheringDone(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') {
      return resolve();
    }
    const check = (): void => {
      if (pc.iceGatheringState === 'complete') {
        resolve();
      }
    };
    pc.addEventListener('icegatheringstatechange', check);
    pc.addEventListener('icecandidate', (event) => {
      if (event.candidate === null) {
        resolve();
      }
    });
  });
}

interface ProbeFailure {
  error: string;
  code: NetcheckErrorCode;
}

/**
 * "turn:host:3478?transport=udp: Unauthorized (401)", from an icecandidateerror event. Codes 300-699 are the
 * server's STUN error responses; 700-799 mean the browser could not reach the server (webrtc-pc, RTCPeerConnectionIceErrorEvent).
 */
function iceError(event: Event): ProbeFailure | undefined {
  const e = event as Partial<{ errorCode: number; errorText: string; url: string }>;
  if (e.errorCode === undefined) {
    return undefined;
  }
  const text = (e.errorText ?? '').trim().replace(/\.$/, '') || 'error';
  return {
    error: `${e.url ? `${e.url}: ` : ''}${text} (${e.errorCode})`,
    code: e.errorCode >= 700 ? 'CONNECT_FAILED' : 'REFUSED',
  };
}

/** Why a probe found nothing. */
function nothingFound(probe: NetworkProbe, timedOut: boolean, timeoutMs: number): ProbeFailure {
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`;
  if (probe === 'host') {
    return {
      error: timedOut ? `no local address within ${seconds}` : 'no local address (is the network off?)',
      code: 'NO_CANDIDATE',
    };
  }
  if (timedOut) {
    return {
      error: probe === 'srflx' ? `no answer from the STUN server within ${seconds}` : `no relay address within ${seconds}`,
      code: 'NO_ANSWER',
    };
  }
  return {
    error: probe === 'srflx' ? 'the STUN server gave no public address' : 'the TURN server gave no relay address',
    code: 'NO_CANDIDATE',
  };
}

function closeQuietly(pc: RTCPeerConnection | undefined): void {
  try {
    pc?.close();
  } catch {
    // already closed
  }
}

interface ProbeContext {
  PC: typeof RTCPeerConnection;
  timeoutMs: number;
  connectTimeoutMs: number;
  connect: boolean;
  signal: AbortSignal | undefined;
}

/**
 * Runs one probe: gathers on a fresh connection; for relay probes also connects a second one to it through the
 * relay. Every connection is closed before it returns.
 */
async function runProbe(plan: ProbePlan, ctx: ProbeContext): Promise<ProbeResult> {
  const { probe, urls, config } = plan;
  if (config === undefined) {
    return { probe, status: 'skipped', urls, candidates: [], ms: 0 };
  }
  const start = performance.now();
  const elapsed = (): number => Math.round(performance.now() - start);
  const want = wantedType(probe);
  const relay = want === 'relay';
  const candidates: GatheredCandidate[] = [];
  const errors: ProbeFailure[] = [];
  let firstMs: number | undefined;
  let connectMs: number | undefined;
  let a: RTCPeerConnection | undefined;
  let b: RTCPeerConnection | undefined;
  const timers: { cancel(): void }[] = [];
  try {
    ctx.signal?.throwIfAborted();
    a = new ctx.PC(config);
    const pcA = a;
    const pcB = relay && ctx.connect ? (b = new ctx.PC(config)) : undefined;
    const channel = pcA.createDataChannel('netcheck');
    const opened = new Promise<boolean>((resolve) => {
      channel.addEventListener('open', () => {
        connectMs ??= elapsed();
        resolve(true);
      });
      const failed = (): void => {
        if (pcA.iceConnectionState === 'failed' || pcB?.iceConnectionState === 'failed') {
          resolve(false);
        }
      };
      pcA.addEventListener('iceconnectionstatechange', failed);
      pcB?.addEventListener('iceconnectionstatechange', failed);
    });

    // Trickle candidates between the two, holding them until the other side has a remote description.
    const pending: [RTCPeerConnection, RTCIceCandidate][] = [];
    const deliver = (to: RTCPeerConnection, candidate: RTCIceCandidate): void => {
      if (to.remoteDescription === null) {
        pending.push([to, candidate]);
      } else {
        to.addIceCandidate(candidate).catch(() => undefined);
      }
    };
    const flush = (): void => {
      for (const [to, candidate] of pending.splice(0)) {
        deliver(to, candidate);
      }
    };
    pcA.addEventListener('icecandidate', (event) => {
      const line = event.candidate?.candidate;
      if (!line) {
        return;
      }
      const parsed = parseCandidate(line, RELAY_PROTOCOL[probe]);
      if (parsed === null) {
        return;
      }
      candidates.push(parsed);
      if (parsed.type === want) {
        firstMs ??= elapsed();
      }
      if (pcB !== undefined && event.candidate !== null) {
        deliver(pcB, event.candidate);
      }
    });
    pcB?.addEventListener('icecandidate', (event) => {
      if (event.candidate?.candidate) {
        deliver(pcA, event.candidate);
      }
    });
    pcA.addEventListener('icecandidateerror', (event) => {
      const failure = iceError(event);
      if (failure !== undefined && !errors.some((known) => known.error === failure.error)) {
        errors.push(failure);
      }
    });

    const done = gatheringDone(pcA);
    await pcA.setLocalDescription(await pcA.createOffer());
    if (pcB !== undefined) {
      await pcB.setRemoteDescription(pcA.localDescription!);
      await pcB.setLocalDescription(await pcB.createAnswer());
      await pcA.setRemoteDescription(pcB.localDescription!);
      flush();
    }
    const gatherTimer = sleep(ctx.timeoutMs, ctx.signal);
    timers.push(gatherTimer);
    const timedOut = await Promise.race([done.then(() => false), gatherTimer.promise.then(() => true)]);
    ctx.signal?.throwIfAborted();
    const gathered = firstMs !== undefined;

    const result: ProbeResult = {
      probe,
      status: gathered ? 'ok' : 'failed',
      urls,
      candidates,
      ms: firstMs ?? elapsed(),
    };
    if (!gathered) {
      return { ...result, ...(errors[0] ?? nothingFound(probe, timedOut, ctx.timeoutMs)) };
    }
    if (pcB !== undefined) {
      const connectTimer = sleep(ctx.connectTimeoutMs, ctx.signal);
      timers.push(connectTimer);
      result.connected = await Promise.race([opened, connectTimer.promise.then(() => false)]);
      ctx.signal?.throwIfAborted();
      if (result.connected) {
        result.connectMs = connectMs;
      } else {
        result.error = 'the test connection through the relay did not connect';
        result.code = 'RELAY_NOT_CONNECTED';
      }
    }
    return result;
  } catch (error) {
    if (ctx.signal?.aborted) {
      throw ctx.signal.reason;
    }
    return {
      probe,
      status: 'failed',
      urls,
      candidates,
      ms: elapsed(),
      error: error instanceof Error ? error.message : String(error),
      code: 'PROBE_FAILED',
    };
  } finally {
    for (const timer of timers) {
      timer.cancel();
    }
    closeQuietly(a);
    closeQuietly(b);
  }
}

/**
 * Checks which candidate types work from here with the given ICE servers (usually `GET /api/ice-servers` or
 * `SignalingClient.iceServers`). Probes run at the same time; every connection is closed when it resolves.
 * Rejects with `UNSUPPORTED_BROWSER` without WebRTC, or the signal's reason when aborted.
 */
export async function checkNetwork(iceServers: RTCIceServer[], options: NetworkCheckOptions = {}): Promise<NetworkCheckResult> {
  const PC = options.RTCPeerConnection ?? (globalThis as { RTCPeerConnection?: typeof RTCPeerConnection }).RTCPeerConnection;
  if (PC === undefined) {
    throw new RendezvousError('UNSUPPORTED_BROWSER', 'This browser has no RTCPeerConnection.');
  }
  options.signal?.throwIfAborted();
  const timeoutMs = options.timeoutMs ?? 8000;
  const ctx: ProbeContext = {
    PC,
    timeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? timeoutMs,
    connect: options.connect ?? true,
    signal: options.signal,
  };
  const start = performance.now();
  // allSettled, not all: when aborted, every probe has closed its connections before this settles.
  const settled = await Promise.allSettled(
    planNetworkProbes(iceServers).map(async (plan) => {
      const result = await runProbe(plan, ctx);
      if (!options.signal?.aborted) {
        try {
          options.onProgress?.(result);
        } catch (error) {
          console.error('checkNetwork onProgress listener failed', error);
        }
      }
      return result;
    }),
  );
  options.signal?.throwIfAborted();
  const probes = settled.map((outcome) => {
    if (outcome.status === 'rejected') {
      throw outcome.reason;
    }
    return outcome.value;
  });
  return { probes, ms: Math.round(performance.now() - start) };
}
