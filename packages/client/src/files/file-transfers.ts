/**
 * File transfer for a room (`room.files`): `send` offers files to one peer, several, or everyone, queued per
 * recipient (MAX_CONCURRENT_TRANSFERS_PER_PEER at once, MAX_QUEUED_FILES_PER_PEER waiting); event `incoming` hands
 * each offer to the application, which accepts or rejects it. Built on a FeaturePort: internal messages on
 * FILES_TOPIC for control (control.ts), one internal stream per transfer (and per resume) for the bytes.
 */
import { realClock, type Clock } from '@rendezvous/common';
import { RendezvousError } from '@rendezvous/protocol';
import type { IncomingStream, JsonValue } from '../data/index.js';
import type { FeaturePort } from '../feature-port.js';
import { TypedEmitter } from '../typed-emitter.js';
import { parseControl, parseStreamMeta, toJson, type Control } from './control.js';
import { queueFull } from './file-errors.js';
import { IncomingTransfer } from './incoming-transfer.js';
import {
  FILES_TOPIC,
  MAX_CONCURRENT_TRANSFERS_PER_PEER,
  MAX_FILE_BYTES,
  MAX_FILE_NAME_CHARS,
  MAX_FILE_TYPE_CHARS,
  MAX_INCOMING_TRANSFERS_PER_PEER,
  MAX_QUEUED_FILES_PER_PEER,
} from './limits.js';
import { OutgoingTransfer, type TransferContext } from './outgoing-transfer.js';
import { clearStoredFiles } from './sinks.js';
import { isFinished } from './transfer-types.js';

export interface FileTransfersEvents {
  /** A peer offers a file: call `accept()` or `reject()` on it. */
  incoming: [transfer: IncomingTransfer];
}

export interface FileTransfersOptions {
  clock?: Clock;
  /** Makes transfer ids (default: `crypto.randomUUID()`). */
  newId?: () => string;
}

export interface SendFileOptions {
  /** One peer id or several; absent: every member now. */
  to?: string | readonly string[];
  /** The name to offer (default: the File's name, or 'file' for a Blob). */
  name?: string;
  /**
   * TEST ONLY: flips the first byte of chunk `n` (0-based, FILE_CHUNK_BYTES each) as it is sent, after hashing, so
   * the receiver must report FILE_HASH_MISMATCH. Never use it in an application.
   */
  corruptChunkForTest?: number;
}

export class FileTransfers extends TypedEmitter<FileTransfersEvents> {
  readonly #port: FeaturePort;
  readonly #ctx: TransferContext;
  readonly #newId: () => string;
  /** Outgoing transfers not finished, by id; `#queues` holds those still queued, per recipient, in order. */
  readonly #outgoing = new Map<string, OutgoingTransfer>();
  readonly #queues = new Map<string, OutgoingTransfer[]>();
  /** Incoming transfers not finished, by `from` then id. */
  readonly #incoming = new Map<string, Map<string, IncomingTransfer>>();
  readonly #offs: Array<() => void>;
  #closed = false;

  constructor(port: FeaturePort, options: FileTransfersOptions = {}) {
    super();
    this.#port = port;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    this.#ctx = { port, clock: options.clock ?? realClock, ended: (transfer) => this.#ended(transfer) };
    this.#offs = [
      port.onInternal(FILES_TOPIC, (from, data) => this.#onControl(from, data)),
      port.onInternalStream(FILES_TOPIC, (stream) => this.#onStream(stream)),
      port.onPeerReachable((peerId) => this.#onReachable(peerId)),
      port.onPeerLeft((peerId) => this.#onPeerLeft(peerId)),
      port.onClose(() => this.close()),
    ];
  }

  /** Deletes every received file kept in the Origin Private File System (by this or an earlier session). */
  static clearStoredFiles(): Promise<void> {
    return clearStoredFiles();
  }

  /** Transfers not finished yet: outgoing (queued or running) and incoming. */
  get active(): { outgoing: OutgoingTransfer[]; incoming: IncomingTransfer[] } {
    const incoming = [...this.#incoming.values()].flatMap((byId) => [...byId.values()]);
    return { outgoing: [...this.#outgoing.values()], incoming };
  }

  /**
   * Offers `file` to `options.to` (default: every member now): one transfer per recipient, queued behind that
   * recipient's running transfers. The file is read in slices as it streams, never whole. All or nothing: throws
   * INVALID_STATE when a recipient's queue is full or this is closed, PEER_NOT_IN_ROOM for an unknown recipient.
   */
  send(file: Blob, options: SendFileOptions = {}): OutgoingTransfer[] {
    if (this.#closed) {
      throw new RendezvousError('INVALID_STATE', 'File transfer is closed (the room was left).');
    }
    if (file.size > MAX_FILE_BYTES) {
      throw new RendezvousError('DATA_TOO_LARGE', `The file is over ${MAX_FILE_BYTES} bytes.`);
    }
    const recipients = this.#recipients(options.to);
    for (const peerId of recipients) {
      if ((this.#queues.get(peerId)?.length ?? 0) >= MAX_QUEUED_FILES_PER_PEER) {
        throw queueFull(peerId, MAX_QUEUED_FILES_PER_PEER);
      }
    }
    const name = (options.name ?? (file instanceof File ? file.name : 'file')).slice(0, MAX_FILE_NAME_CHARS);
    const typed = file.type.length > MAX_FILE_TYPE_CHARS ? file.slice(0, file.size, '') : file;
    const transfers = recipients.map(
      (peerId) => new OutgoingTransfer(this.#newId(), peerId, typed, name, this.#ctx, options.corruptChunkForTest ?? null),
    );
    for (const transfer of transfers) {
      this.#outgoing.set(transfer.id, transfer);
      const queue = this.#queues.get(transfer.to) ?? [];
      queue.push(transfer);
      this.#queues.set(transfer.to, queue);
    }
    for (const peerId of recipients) {
      this.#pump(peerId);
    }
    return transfers;
  }

  /** Ends every transfer (partial received files are deleted) and lets go of the room. Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    for (const off of this.#offs.splice(0)) {
      off();
    }
    for (const transfer of this.active.outgoing) {
      transfer.shutdown('closed');
    }
    for (const transfer of this.active.incoming) {
      transfer.shutdown('closed');
    }
    this.#queues.clear();
    this.removeAllListeners();
  }

  #recipients(to: SendFileOptions['to']): string[] {
    const members = new Set(this.#port.peerIds());
    if (to === undefined) {
      return [...members];
    }
    const ids = typeof to === 'string' ? [to] : [...new Set(to)];
    for (const id of ids) {
      if (!members.has(id)) {
        throw new RendezvousError('PEER_NOT_IN_ROOM', `No peer ${id} in this room.`, { detail: { peerId: id } });
      }
    }
    return ids;
  }

  /** Starts queued transfers to `peerId` while it has free slots. */
  #pump(peerId: string): void {
    const queue = this.#queues.get(peerId);
    if (queue === undefined) {
      return;
    }
    const running = [...this.#outgoing.values()].filter((t) => t.to === peerId && t.state !== 'queued').length;
    for (let free = MAX_CONCURRENT_TRANSFERS_PER_PEER - running; free > 0 && queue.length > 0; free--) {
      queue.shift()!.start();
    }
    if (queue.length === 0) {
      this.#queues.delete(peerId);
    }
  }

  #ended(transfer: { readonly id: string }): void {
    if (transfer instanceof OutgoingTransfer) {
      this.#outgoing.delete(transfer.id);
      const queue = this.#queues.get(transfer.to);
      const at = queue?.indexOf(transfer) ?? -1;
      if (at >= 0) {
        queue!.splice(at, 1);
      }
      if (!this.#closed) {
        this.#pump(transfer.to);
      }
    } else if (transfer instanceof IncomingTransfer) {
      const byId = this.#incoming.get(transfer.from);
      byId?.delete(transfer.id);
      if (byId?.size === 0) {
        this.#incoming.delete(transfer.from);
      }
    }
  }

  #onControl(from: string, data: JsonValue): void {
    const control = parseControl(data);
    if (control === null || this.#closed) {
      return; // malformed or hostile: dropped
    }
    if (control.t === 'offer') {
      return this.#onOffer(from, control);
    }
    const outgoing = this.#outgoing.get(control.id);
    const forOutgoing = ['accept', 'reject', 'resume', 'result', 'cancel'].includes(control.t);
    if (forOutgoing && outgoing !== undefined && outgoing.to === from) {
      return outgoing.handle(control);
    }
    if (control.t === 'digest' || control.t === 'cancel') {
      this.#incoming.get(from)?.get(control.id)?.handle(control);
    }
  }

  #onOffer(from: string, offer: Extract<Control, { t: 'offer' }>): void {
    const byId = this.#incoming.get(from) ?? new Map<string, IncomingTransfer>();
    if (byId.has(offer.id)) {
      return; // a repeated offer: ignored
    }
    if (byId.size >= MAX_INCOMING_TRANSFERS_PER_PEER) {
      try {
        this.#port.sendInternal(FILES_TOPIC, toJson({ t: 'reject', id: offer.id }), from);
      } catch {
        // the peer's queue is full: the offer is dropped all the same
      }
      return;
    }
    const transfer = new IncomingTransfer(from, offer, this.#ctx);
    byId.set(offer.id, transfer);
    this.#incoming.set(from, byId);
    this.emit('incoming', transfer);
  }

  #onStream(stream: IncomingStream): void {
    const meta = parseStreamMeta(stream.meta);
    const transfer = meta === null ? undefined : this.#incoming.get(stream.from)?.get(meta.id);
    if (meta === null || transfer === undefined || isFinished(transfer.state)) {
      return stream.abort('unknown transfer');
    }
    transfer.takeStream(stream, meta.offset);
  }

  #onReachable(peerId: string): void {
    for (const transfer of this.#incoming.get(peerId)?.values() ?? []) {
      transfer.reachable();
    }
  }

  #onPeerLeft(peerId: string): void {
    for (const transfer of [...this.#outgoing.values()].filter((t) => t.to === peerId)) {
      transfer.shutdown('peer-left');
    }
    for (const transfer of [...(this.#incoming.get(peerId)?.values() ?? [])]) {
      transfer.shutdown('peer-left');
    }
    this.#queues.delete(peerId);
  }
}
