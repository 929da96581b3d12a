/**
 * Runs inside the browser page (part of `window.probe`, see probe.ts): recorded events, data messages and
 * incoming streams, with hashing helpers.
 */
import type { Room } from '@rendezvous/client';

/** Records events into window.t.events[name] so a test can read what happened and when. */
export function record(name: string, entry: unknown): void {
  const store = (window.t['events'] ??= {}) as Record<string, Array<{ at: number; entry: unknown }>>;
  (store[name] ??= []).push({ at: Date.now(), entry });
}

/** A data message in a form JSON carries: strings and JSON values as they came, bytes as a list of numbers. */
export interface MessageRecord {
  from: string;
  kind: 'string' | 'bytes' | 'json';
  value: unknown;
}

/** Records every `message` of `room` as `message` (see `record`). Call it right after join. */
export function recordMessages(room: Room): void {
  room.on('message', (from, data) => {
    if (typeof data === 'string') {
      record('message', { from, kind: 'string', value: data });
    } else if (data instanceof ArrayBuffer) {
      record('message', { from, kind: 'bytes', value: [...new Uint8Array(data)] });
    } else {
      record('message', { from, kind: 'json', value: data });
    }
  });
}

/** Hex SHA-256 of `bytes` (crypto.subtle). */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `size` random bytes (getRandomValues fills at most 64 KiB a call). */
export function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65_536) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65_536)));
  }
  return bytes;
}

/** What a receiver recorded for one incoming stream (`error` when it failed). */
export interface StreamRecord {
  from: string;
  meta: unknown;
  bytes: number;
  bytesReceived: number;
  sha256: string | null;
  error: string | null;
}

/** Reads every incoming stream of `room` to its end (async iteration), hashes it, records it as `stream`. */
export function receiveStreams(room: Room): void {
  room.on('stream', (incoming) => {
    // Iteration starts in the listener (an async function runs up to its first await at once).
    void (async () => {
      const chunks: Uint8Array[] = [];
      let total = 0;
      try {
        for await (const chunk of incoming) {
          chunks.push(new Uint8Array(chunk));
          total += chunk.byteLength;
        }
        const all = new Uint8Array(total);
        let at = 0;
        for (const chunk of chunks) {
          all.set(chunk, at);
          at += chunk.byteLength;
        }
        const entry: StreamRecord = {
          from: incoming.from,
          meta: incoming.meta,
          bytes: total,
          bytesReceived: incoming.bytesReceived,
          sha256: await sha256Hex(all),
          error: null,
        };
        record('stream', entry);
      } catch (error) {
        const entry: StreamRecord = {
          from: incoming.from,
          meta: incoming.meta,
          bytes: total,
          bytesReceived: incoming.bytesReceived,
          sha256: null,
          error: String(error),
        };
        record('stream', entry);
      }
    })();
  });
}

/** What the sender of `sendRandomStream` saw. */
export interface SentStreamReport {
  bytes: number;
  sha256: string;
  /** Every `progress` event: [bytesSent, bytesAcknowledged]. */
  progress: Array<[number, number]>;
  finished: boolean;
  state: string;
  bytesAcknowledged: number;
}

/** Streams `size` random bytes to `to` in writes of `writeBytes` (awaiting each), then `end()`. */
export async function sendRandomStream(
  room: Room,
  to: string,
  size: number,
  meta: Record<string, string>,
  writeBytes = 100_000,
): Promise<SentStreamReport> {
  const data = randomBytes(size);
  const sha256 = await sha256Hex(data);
  const stream = room.openStream(to, { ...meta, size });
  const progress: Array<[number, number]> = [];
  let finished = false;
  stream.on('progress', (sent, acked) => progress.push([sent, acked]));
  stream.on('finish', () => (finished = true));
  for (let at = 0; at < size; at += writeBytes) {
    await stream.write(data.subarray(at, Math.min(size, at + writeBytes)));
  }
  await stream.end();
  return { bytes: size, sha256, progress, finished, state: stream.state, bytesAcknowledged: stream.bytesAcknowledged };
}
