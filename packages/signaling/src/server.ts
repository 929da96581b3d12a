import { AddressLimits } from './address-limits.js';
import type { Connection } from './connection.js';
import type { SignalingContext } from './context.js';
import { isExternal, joinExternal } from './external-member.js';
import { startIntake } from './intake.js';
import { cutConnection } from './lifecycle.js';
import { LimitHits } from './limit-hits.js';
import { MemoryBudget } from './memory-budget.js';
import { createMetrics } from './metrics.js';
import {
  realClock,
  resolveLimits,
  silentLogger,
  type SignalingOptions,
  type SignalingServer,
  type SignalingStats,
} from './options.js';
import { RoomRegistry } from './rooms.js';
import { shutdown } from './shutdown.js';

/** Creates the signaling server and attaches it to `options.server` on `options.path` (default '/ws'). */
export function createSignalingServer(options: SignalingOptions): SignalingServer {
  const ctx = createContext(options);
  const intake = startIntake(ctx, options);
  let closing: Promise<void> | undefined;
  return {
    stats: () => statsOf(ctx),
    terminate(peerId: string): boolean {
      const conn = ctx.sessions.get(peerId)?.connection ?? null;
      if (conn === null) {
        return false;
      }
      cutConnection(ctx, conn);
      return true;
    },
    close(reason = 'server shutting down'): Promise<void> {
      closing ??= shutdown(ctx, intake, reason);
      return closing;
    },
    joinExternal: (init) => joinExternal(ctx, init),
  };
}

function createContext(options: SignalingOptions): SignalingContext {
  const limits = resolveLimits(options.limits);
  const log = options.logger ?? silentLogger;
  const clock = options.clock ?? realClock;
  const metrics = createMetrics(options.registry, () => {
    ctx.budget.sweep(); // unsent bytes are measured lazily: bring them up to date for the gauge
    return {
      sessions: ctx.sessions.size,
      rooms: ctx.rooms.size,
      bufferedBytes: ctx.budget.bufferedBytes,
      queuedBytes: ctx.budget.queuedBytes,
    };
  });
  const budget = new MemoryBudget({
    budgetBytes: limits.memoryBudgetBytes,
    drainTimeoutMs: limits.drainTimeoutMs,
    maxQueuedBytesPerAddress: limits.maxQueuedBytesPerAddress,
    clock,
    // A socket that did not drain (or the heaviest one when the budget is full): cut it, keep its session.
    onSlow: (socket, reason) => {
      const conn = socket as Connection;
      ctx.hits.hit(reason, { address: conn.address, unsent: conn.unsent });
      conn.sendFinalError('SLOW_CONSUMER');
      conn.release();
      cutConnection(ctx, conn);
    },
  });
  const ctx: SignalingContext = {
    limits,
    log,
    clock,
    metrics,
    hooks: {
      authenticate: options.authenticate,
      admit: options.admit,
      iceServers: options.iceServers,
      directory: options.directory,
      sfu: options.sfu,
      defaultRoomMode: options.defaultRoomMode ?? 'mesh',
    },
    connections: new Set(),
    sessions: new Map(),
    byToken: new Map(),
    rooms: new RoomRegistry(),
    calls: new Map(),
    addresses: new AddressLimits(limits, clock),
    budget,
    hits: new LimitHits(options.registry, log, clock),
    connectionDeps: { log, metrics, maxBufferedBytes: limits.maxBufferedBytes, budget, clock },
    sessionDeps: {
      log,
      queueLimits: { maxCount: limits.maxQueuedWhileDetached, maxBytes: limits.maxQueuedBytesWhileDetached },
      budget,
      clock,
    },
    rate: { perSecond: limits.rateLimitPerSecond, burst: limits.rateLimitBurst, now: () => clock.now() },
    relayRate: { perSecond: limits.relayBytesPerSecond, burst: limits.relayBytesPerSecond, now: () => clock.now() },
    closing: false,
  };
  return ctx;
}

function statsOf(ctx: SignalingContext): SignalingStats {
  let detached = 0;
  for (const session of ctx.sessions.values()) {
    if (session.connection === null && !isExternal(session)) {
      detached++;
    }
  }
  ctx.budget.sweep();
  const { bufferedBytes, queuedBytes } = ctx.budget;
  return { sessions: ctx.sessions.size, rooms: ctx.rooms.size, detached, bufferedBytes, queuedBytes };
}
