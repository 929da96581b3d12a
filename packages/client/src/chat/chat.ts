/**
 * Chat over a room's data layer (internal topic `chat`), topology neutral: it only uses a FeaturePort.
 *
 * - `send(text)` goes to every member, `send(text, { to })` to one (private). Messages sent before a member's
 *   channel opens are queued by the data layer, never lost.
 * - Each recipient acknowledges each live message: the sender's copy gains `deliveredTo` entries (event
 *   `delivered`) and is `delivered` once every recipient did. A recipient that leaves before acknowledging is
 *   dropped from `recipients` (event `updated`); it no longer holds the message back.
 * - A late joiner asks one member for the recent room-wide history (see history-sync.ts); the answer is validated,
 *   bounded, deduplicated by id and merged in time order. Private messages are never part of it.
 * - Input from a peer that does not fit is dropped and reported as `error`, never thrown.
 */
import { RendezvousError } from '@rendezvous/protocol';
import type { JsonValue } from '../data/index.js';
import type { FeaturePort } from '../feature-port.js';
import { TypedEmitter } from '../typed-emitter.js';
import { CHAT_HISTORY_LIMIT, CHAT_TOPIC, MAX_CHAT_TEXT } from './chat-limits.js';
import type { ChatMessage, StoredMessage } from './chat-message.js';
import { ChatStore } from './chat-store.js';
import { HISTORY_REQUEST, ackWire, historyItemProblem, msgWire, parseChatWire, type WireHistoryItem } from './chat-wire.js';
import { historyBatches } from './history-batches.js';
import { HistorySync } from './history-sync.js';

export interface ChatEvents {
  /** A message: live from a peer, from the history, or one this client sent. */
  message: [message: ChatMessage];
  /** `peerId` acknowledged this client's message `messageId`. */
  delivered: [messageId: string, peerId: string];
  /** The delivery state of this client's message changed (an acknowledgement, a recipient left). */
  updated: [message: ChatMessage];
  /** Input from a peer was dropped (BAD_MESSAGE), or an acknowledgement or history answer could not be sent. */
  error: [error: RendezvousError];
}

export interface ChatOptions {
  /** The clock for `sentAt` (default `Date.now`). */
  now?: () => number;
  /** Makes message ids (default `crypto.randomUUID`). */
  newId?: () => string;
}

export interface ChatSendOptions {
  /** A member's peer id: a private message to them alone. */
  to?: string;
}

export class Chat extends TypedEmitter<ChatEvents> {
  readonly #port: FeaturePort;
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #store = new ChatStore();
  readonly #history = new HistorySync();
  readonly #offs: (() => void)[];
  #closed = false;

  constructor(port: FeaturePort, options: ChatOptions = {}) {
    super();
    this.#port = port;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    this.#offs = [
      port.onInternal(CHAT_TOPIC, (from, data) => this.#receive(from, data)),
      port.onPeerJoined((peerId) => this.#history.joined(peerId)),
      port.onPeerReachable((peerId) => this.#ask(this.#history.reachable(peerId))),
      port.onPeerLeft((peerId) => this.#left(peerId)),
      port.onClose(() => this.close()),
    ];
  }

  /** The kept messages (at most CHAT_HISTORY_LIMIT), oldest first. */
  get messages(): readonly ChatMessage[] {
    return [...this.#store.list];
  }

  /**
   * Sends `text` to the room, or privately to `options.to`, and returns this client's copy. Throws a TypeError for
   * text that is not a non-empty string, DATA_TOO_LARGE past MAX_CHAT_TEXT, PEER_NOT_IN_ROOM for an unknown `to`,
   * INVALID_STATE once closed, and what the data layer throws (a full queue): then nothing was sent.
   */
  send(text: string, options: ChatSendOptions = {}): ChatMessage {
    if (this.#closed) {
      throw new RendezvousError('INVALID_STATE', 'The chat is closed.');
    }
    checkText(text);
    const { to } = options;
    if (to !== undefined && (to === this.#port.peerId || !this.#port.peerIds().includes(to))) {
      throw new RendezvousError('PEER_NOT_IN_ROOM', `No peer ${to} in this room.`, { detail: { peerId: to } });
    }
    const message: StoredMessage = {
      id: this.#newId(),
      from: this.#port.peerId,
      ...(to === undefined ? {} : { to }),
      text,
      sentAt: this.#now(),
      fromHistory: false,
      recipients: to === undefined ? this.#port.peerIds() : [to],
      deliveredTo: [],
      delivered: false,
    };
    this.#port.sendInternal(CHAT_TOPIC, msgWire(message, to !== undefined), to);
    this.#store.add(message);
    this.emit('message', message);
    return message;
  }

  /** Stops listening to the room and drops every listener. Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    for (const off of this.#offs.splice(0)) {
      off();
    }
    this.removeAllListeners();
  }

  #receive(from: string, data: JsonValue): void {
    const parsed = parseChatWire(data);
    if (!parsed.ok) {
      return this.#drop(from, parsed.reason);
    }
    const wire = parsed.wire;
    switch (wire.k) {
      case 'msg':
        return this.#onMessage(from, wire);
      case 'ack':
        return this.#onAck(from, wire.id);
      case 'hist?':
        return this.#answer(from);
      case 'hist':
        return this.#onHistory(from, wire.items, wire.done);
    }
  }

  #onMessage(from: string, wire: { id: string; text: string; sentAt: number; private: boolean }): void {
    const message: StoredMessage = {
      id: wire.id,
      from,
      ...(wire.private ? { to: this.#port.peerId } : {}),
      text: wire.text,
      sentAt: wire.sentAt,
      fromHistory: false,
      recipients: [],
      deliveredTo: [],
      delivered: false,
    };
    const known = this.#store.get(wire.id);
    if (known !== undefined && known.from !== from) {
      return this.#drop(from, 'a message id already taken');
    }
    if (known === undefined && this.#store.add(message)) {
      this.emit('message', message);
    }
    this.#trySend(ackWire(wire.id), from); // also for a repeat: its first acknowledgement may have been lost
  }

  #onAck(from: string, id: string): void {
    const message = this.#store.get(id);
    if (message?.from !== this.#port.peerId || !message.recipients.includes(from) || message.deliveredTo.includes(from)) {
      return; // not ours, not theirs to acknowledge, a repeat, or already evicted
    }
    message.deliveredTo = [...message.deliveredTo, from];
    message.delivered = message.recipients.every((peerId) => message.deliveredTo.includes(peerId));
    this.emit('delivered', id, from);
    this.emit('updated', message);
  }

  #left(peerId: string): void {
    this.#ask(this.#history.left(peerId));
    for (const message of this.#store.list) {
      if (message.from !== this.#port.peerId || !message.recipients.includes(peerId) || message.deliveredTo.includes(peerId)) {
        continue;
      }
      message.recipients = message.recipients.filter((id) => id !== peerId);
      message.delivered = message.recipients.length > 0 && message.recipients.every((id) => message.deliveredTo.includes(id));
      this.emit('updated', message);
    }
  }

  #ask(peerId: string | null): void {
    if (peerId !== null && !this.#trySend(HISTORY_REQUEST, peerId)) {
      this.#ask(this.#history.failed(peerId));
    }
  }

  #answer(from: string): void {
    if (!this.#history.shouldAnswer(from)) {
      return;
    }
    for (const batch of historyBatches(this.#store.roomWide())) {
      if (!this.#trySend(batch, from)) {
        return;
      }
    }
  }

  #onHistory(from: string, items: unknown[], done: boolean): void {
    if (this.#history.asking !== from) {
      return this.#drop(from, 'history that was not asked for');
    }
    const valid: WireHistoryItem[] = [];
    let bad = 0;
    for (const item of items) {
      if (historyItemProblem(item) === null) {
        valid.push(item as WireHistoryItem);
      } else {
        bad++;
      }
    }
    const room = Math.max(0, CHAT_HISTORY_LIMIT - this.#history.received);
    if (bad > 0) {
      this.#drop(from, `${bad} malformed history messages`);
    }
    if (valid.length > room) {
      this.#drop(from, `${valid.length - room} history messages past the limit of ${CHAT_HISTORY_LIMIT}`);
    }
    this.#history.received += Math.min(room, valid.length);
    this.#merge(valid.slice(0, room));
    if (done) {
      this.#history.complete();
    }
  }

  #merge(items: WireHistoryItem[]): void {
    const added: StoredMessage[] = [];
    for (const { id, from, text, sentAt } of items) {
      const message = { id, from, text, sentAt, fromHistory: true, recipients: [], deliveredTo: [], delivered: false };
      if (this.#store.add(message)) {
        added.push(message);
      }
    }
    added.sort((a, b) => a.sentAt - b.sentAt);
    for (const message of added) {
      if (this.#store.get(message.id) === message) {
        this.emit('message', message); // unless it was evicted at once (older than everything kept)
      }
    }
  }

  /** Sends `data` to `to`; false, with an `error` event, when the data layer refused it. */
  #trySend(data: JsonValue, to: string): boolean {
    try {
      this.#port.sendInternal(CHAT_TOPIC, data, to);
      return true;
    } catch (error) {
      this.emit('error', error instanceof RendezvousError ? error : new RendezvousError('INVALID_STATE', String(error)));
      return false;
    }
  }

  #drop(from: string, reason: string): void {
    this.emit(
      'error',
      new RendezvousError('BAD_MESSAGE', `Dropped chat input from ${from}: ${reason}.`, { detail: { peerId: from, reason } }),
    );
  }
}

function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string' || text.length === 0) {
    throw new TypeError('A chat message is a non-empty string.');
  }
  if (text.length > MAX_CHAT_TEXT) {
    throw new RendezvousError('DATA_TOO_LARGE', `The message is ${text.length} characters; the limit is ${MAX_CHAT_TEXT}.`, {
      detail: { what: 'chat-text', size: text.length, limit: MAX_CHAT_TEXT },
    });
  }
}
