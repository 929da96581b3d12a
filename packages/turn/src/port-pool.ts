/**
 * Relay ports this server holds, within the configured range (RFC 8656 §7.2: 49152-65535 by default). Only
 * bookkeeping: binding may still fail because another process holds a port, and then the caller asks for the
 * next candidate. Candidates rotate from a random start, so a freed port is not handed out again at once; after a
 * port that would not bind, the caller moves the start elsewhere (`scatter`), since ports held by other software
 * tend to come in blocks.
 */
export class PortPool {
  private readonly used = new Uint8Array(65536);
  private cursor: number;
  private count = 0;

  constructor(
    readonly min: number,
    readonly max: number,
    /** A number in [0, 1); Math.random unless a test needs the sequence. */
    private readonly random: () => number = Math.random,
  ) {
    this.cursor = this.randomPort();
  }

  /** Moves the rotating start to a random port of the range. */
  scatter(): void {
    this.cursor = this.randomPort();
  }

  private randomPort(): number {
    return this.min + Math.floor(this.random() * (this.max - this.min + 1));
  }

  /** Ports in the range not held by this server. */
  get free(): number {
    return this.max - this.min + 1 - this.count;
  }

  isFree(port: number): boolean {
    return port >= this.min && port <= this.max && this.used[port] === 0;
  }

  /**
   * The next port not held, from the rotating cursor: any port, an even one, or an even one whose successor is
   * free too (`pair`, for EVEN-PORT with the R bit). -1 when there is none.
   */
  next(kind: 'any' | 'even' | 'pair'): number {
    const span = this.max - this.min + 1;
    for (let i = 0; i < span; i++) {
      const port = this.min + ((this.cursor - this.min + i) % span);
      if (this.used[port] !== 0) {
        continue;
      }
      if (kind !== 'any' && (port & 1) !== 0) {
        continue;
      }
      if (kind === 'pair' && !this.isFree(port + 1)) {
        continue;
      }
      this.cursor = port + 1 > this.max ? this.min : port + 1;
      return port;
    }
    return -1;
  }

  take(port: number): void {
    if (this.used[port] === 0) {
      this.count++;
    }
    this.used[port] = 1;
  }

  release(port: number): void {
    if (this.used[port] !== 0) {
      this.count--;
    }
    this.used[port] = 0;
  }
}
