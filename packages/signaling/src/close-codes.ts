/** WebSocket close codes the server sends. */
export const CLOSE_CODES = {
  /** close(): the server is shutting down (a `shutdown` message came first). */
  goingAway: 1001,
  /** hello asked for a protocol version this server does not speak. */
  protocolVersion: 1002,
  /** No hello in time, or the authenticate hook refused the session. */
  policy: 1008,
  /** maxSessions reached. */
  tryAgainLater: 1013,
} as const;
