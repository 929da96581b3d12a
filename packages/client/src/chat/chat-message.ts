/**
 * A chat message as the SDK hands it to the application. Text is carried as it was typed: the SDK never interprets
 * it (no HTML, no markdown); a UI must render it as text (e.g. `textContent`), never as `innerHTML`.
 */
export interface ChatMessage {
  /** Unique within the room (chosen by the sender). */
  readonly id: string;
  /** The sender's peer id. */
  readonly from: string;
  /** The recipient of a private message; absent for a room-wide one. */
  readonly to?: string;
  readonly text: string;
  /** When it was sent, in ms since the epoch, by the sender's clock. */
  readonly sentAt: number;
  /** True when it came in a late joiner's history rather than live. */
  readonly fromHistory: boolean;
  /**
   * Own messages only: who it was sent to (the members at the time, or the one recipient), less those who left
   * before acknowledging it. Empty on others' messages.
   */
  readonly recipients: readonly string[];
  /** Own messages only: the recipients that acknowledged it, in the order they did. */
  readonly deliveredTo: readonly string[];
  /** Own messages only: every remaining recipient acknowledged it (false while there are none). */
  readonly delivered: boolean;
}

/** The mutable record behind a ChatMessage (the SDK updates delivery in place; the application sees it read-only). */
export interface StoredMessage {
  id: string;
  from: string;
  to?: string;
  text: string;
  sentAt: number;
  fromHistory: boolean;
  recipients: readonly string[];
  deliveredTo: readonly string[];
  delivered: boolean;
}
