export { realClock, type Clock } from './clock.js';
export { FakeClock } from './fake-clock.js';
export { silentLogger, type ChildLogger, type LogFn, type Logger } from './logger.js';
export { resolveLimits, type LimitRules } from './limits.js';
export { TypedEmitter, type EventMap, type Listener, type ListenerErrorReporter } from './typed-emitter.js';
export { prng } from './prng.js';
export { fuzzSeed } from './fuzz-seed.js';
export {
  fullCount,
  msUntilToken,
  takeToken,
  takeTokens,
  TokenBucket,
  type Bucket,
  type TokenCount,
  type TokenRate,
} from './token-bucket.js';
export { Timer } from './timer.js';
export { RateGate, type Pausable } from './rate-gate.js';
export { pathnameOf, searchParamsOf } from './pathname.js';
