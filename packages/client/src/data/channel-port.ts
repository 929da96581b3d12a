/**
 * The port between the data layer and a transport. The data layer never sees an RTCPeerConnection: per remote
 * peer, the transport hands it a `PeerChannels` (mesh: one RTCPeerConnection's channels; SFU: whatever that
 * transport provides), and replaces it each time it rebuilds the connection.
 */

type OpenCloseEvent = 'open' | 'close' | 'bufferedamountlow' | 'error';

/** The part of an RTCDataChannel the data layer uses (RTCDataChannel satisfies it; tests pass a fake). */
export interface DataChannelLike {
  readonly label: string;
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: BinaryType;
  send(data: string | ArrayBuffer | ArrayBufferView<ArrayBuffer>): void;
  close(): void;
  addEventListener(type: OpenCloseEvent, listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: OpenCloseEvent, listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** One remote peer's channels on the current connection (replaced when the transport rebuilds it). */
export interface PeerChannels {
  /** The message channel of this connection (mesh: a negotiated channel, id 0, created with the connection). */
  readonly messages: DataChannelLike;
  /** Opens an extra channel (one per stream), e.g. label `stream:<id>`. */
  open(label: string): DataChannelLike;
  /** Channels the remote side opened. Returns an unsubscribe function. */
  onChannel(listener: (channel: DataChannelLike) => void): () => void;
}

/** Adds `listener` for `type` on `channel`; returns the function that removes it. */
export function listen(channel: DataChannelLike, type: OpenCloseEvent, listener: () => void): () => void;
export function listen(channel: DataChannelLike, type: 'message', listener: (event: { data: unknown }) => void): () => void;
export function listen(
  channel: DataChannelLike,
  type: OpenCloseEvent | 'message',
  listener: (event: { data: unknown }) => void,
): () => void {
  channel.addEventListener(type as 'message', listener);
  return () => channel.removeEventListener(type as 'message', listener);
}

/** Sends a control frame; false when the channel refused it (it is closing, or closed). */
export function trySend(channel: DataChannelLike, frame: string): boolean {
  try {
    channel.send(frame);
    return true;
  } catch {
    return false;
  }
}

/**
 * Closes `channel` once its last frame left (`bufferedAmount` 0), so a final control frame is not lost to a browser
 * that drops buffered data on close. Its listeners go when it closes, whichever side closes it.
 */
export function closeWhenDrained(channel: DataChannelLike): void {
  if (channel.bufferedAmount === 0 || channel.readyState !== 'open') {
    return channel.close();
  }
  channel.bufferedAmountLowThreshold = 0;
  const done = (): void => {
    offLow();
    offClose();
    channel.close();
  };
  const offLow = listen(channel, 'bufferedamountlow', done);
  const offClose = listen(channel, 'close', done);
}

// Compile-time check: a real RTCDataChannel is a DataChannelLike.
export type RTCDataChannelIsDataChannelLike = RTCDataChannel extends DataChannelLike ? true : never;
const _rtcDataChannelFits: RTCDataChannelIsDataChannelLike = true;
void _rtcDataChannelFits;
