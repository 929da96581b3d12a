/**
 * The frames a data connection has yet to hand to its channel. Frames wait while the channel is not open or its
 * `bufferedAmount` would pass the data layer's HIGH_WATER_MARK, and go on at LOW_WATER_MARK
 * (`bufferedamountlow`); the bytes held are bounded (MAX_PEER_QUEUED_BYTES).
 */
import { listen, type DataChannelLike } from '../data/channel-port.js';
import { tooLarge } from '../data/data-errors.js';
import { HIGH_WATER_MARK, LOW_WATER_MARK } from '../data/limits.js';
import { MAX_PEER_QUEUED_BYTES } from './limits.js';
import { frameSize, type Frame } from './serializers.js';

export class SendQueue {
  readonly #frames: Frame[] = [];
  #bytes = 0;
  #channel: DataChannelLike | null = null;
  #off: (() => void)[] = [];

  get queuedBytes(): number {
    return this.#bytes;
  }
  get queuedFrames(): number {
    return this.#frames.length;
  }

  attach(channel: DataChannelLike): void {
    this.detach();
    this.#channel = channel;
    channel.bufferedAmountLowThreshold = LOW_WATER_MARK;
    this.#off = [listen(channel, 'open', () => this.pump()), listen(channel, 'bufferedamountlow', () => this.pump())];
  }

  detach(): void {
    for (const off of this.#off.splice(0)) {
      off();
    }
    this.#channel = null;
  }

  /** Queues the frames of one message (all or none) and sends what the channel takes. Throws DATA_TOO_LARGE. */
  push(frames: readonly Frame[]): void {
    const size = frames.reduce((sum, frame) => sum + frameSize(frame), 0);
    if (this.#bytes + size > MAX_PEER_QUEUED_BYTES) {
      throw tooLarge('queue', this.#bytes + size, MAX_PEER_QUEUED_BYTES);
    }
    this.#frames.push(...frames);
    this.#bytes += size;
    this.pump();
  }

  /** Hands frames to the open channel, in order, while its buffer stays under HIGH_WATER_MARK. */
  pump(): void {
    const channel = this.#channel;
    for (let frame = this.#frames[0]; frame !== undefined && channel !== null; frame = this.#frames[0]) {
      if (channel.readyState !== 'open') {
        return;
      }
      const size = frameSize(frame);
      if (channel.bufferedAmount > 0 && channel.bufferedAmount + size > HIGH_WATER_MARK) {
        return; // goes on at 'bufferedamountlow'
      }
      try {
        channel.send(frame);
      } catch {
        return; // closing: the connection closes with it
      }
      this.#frames.shift();
      this.#bytes -= size;
    }
  }

  clear(): void {
    this.#frames.length = 0;
    this.#bytes = 0;
  }
}
