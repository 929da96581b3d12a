/**
 * Waits until `predicate` (about the in-process server: SFU stats, counters) holds, polling every 50 ms; the server
 * side has no event for "every connection closed". Rejects with `what` after `timeoutMs`.
 */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
