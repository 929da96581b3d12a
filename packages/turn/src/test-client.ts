/**
 * A minimal TURN client for tests, over any transport: give it a `transmit` function and feed it what arrives.
 * It builds and signs requests with the codec, answers the 401/438 challenge itself in `call`, and queues
 * everything that is not a response (Data indications, ChannelData) for `nextData`.
 */
import {
  MessageBuilder,
  StunClass,
  StunMethod,
  TRANSPORT_UDP,
  addChannelNumber,
  addData,
  addLifetime,
  addNonce,
  addRealm,
  addRequestedTransport,
  addUsername,
  addXorPeerAddress,
  decodeMessage,
  getData,
  getErrorCode,
  getNonce,
  getRealm,
  getXorPeerAddress,
  longTermKey,
  type StunMessage,
  type TransportAddress,
  type TransportAddressInput,
} from '@rendezvous/stun';

export interface ClientCredentials {
  username: string;
  password: string;
}

export interface RequestOptions {
  /** Add USERNAME, REALM, NONCE and MESSAGE-INTEGRITY (needs a realm and nonce from an earlier challenge). */
  sign?: boolean;
  fingerprint?: boolean;
  /** Sign with MESSAGE-INTEGRITY-SHA256 instead. */
  sha256?: boolean;
}

export interface Received {
  /** Set for ChannelData. */
  channel: number | undefined;
  /** Set for a Data indication. */
  peer: TransportAddress | undefined;
  data: Buffer;
}

export class TestClient {
  realm: string | undefined;
  nonce: string | undefined;
  private readonly pending = new Map<string, (response: StunMessage) => void>();
  private readonly inbox: Received[] = [];
  private readonly waiting: ((received: Received) => void)[] = [];

  constructor(
    private readonly transmit: (data: Buffer) => void,
    public credentials: ClientCredentials | undefined,
    private readonly stream = false,
  ) {}

  /** Feed one message that arrived from the server. */
  receive(data: Buffer): void {
    if ((data[0]! & 0xc0) === 0x40) {
      // By hand rather than decodeChannelData: RFC 5766 channel numbers (up to 0x7FFF) are tested too.
      const length = data.readUInt16BE(2);
      if (length + 4 > data.length) {
        throw new Error('truncated ChannelData');
      }
      this.deliver({ channel: data.readUInt16BE(0), peer: undefined, data: Buffer.from(data.subarray(4, 4 + length)) });
      return;
    }
    const msg = decodeMessage(Buffer.from(data));
    if (msg.class === StunClass.SuccessResponse || msg.class === StunClass.ErrorResponse) {
      const resolve = this.pending.get(msg.transactionIdHex);
      this.pending.delete(msg.transactionIdHex);
      resolve?.(msg);
    } else if (msg.method === StunMethod.Data) {
      this.deliver({ channel: undefined, peer: getXorPeerAddress(msg), data: Buffer.from(getData(msg) ?? Buffer.alloc(0)) });
    }
  }

  /** The long-term key for the current realm. */
  get key(): Buffer {
    if (this.credentials === undefined || this.realm === undefined) {
      throw new Error('no credentials or realm yet');
    }
    return longTermKey(this.credentials.username, this.realm, this.credentials.password);
  }

  /** Builds, sends and awaits one request. */
  request(method: number, build?: (b: MessageBuilder) => void, options: RequestOptions = {}): Promise<StunMessage> {
    const builder = new MessageBuilder(method, StunClass.Request);
    build?.(builder);
    if (options.sign) {
      addUsername(builder, this.credentials!.username);
      addRealm(builder, this.realm!);
      addNonce(builder, this.nonce!);
      if (options.sha256) {
        builder.addMessageIntegritySha256(this.key);
      } else {
        builder.addMessageIntegrity(this.key);
      }
    }
    if (options.fingerprint) {
      builder.addFingerprint();
    }
    const bytes = builder.build();
    const id = bytes.toString('hex', 8, 20);
    const response = new Promise<StunMessage>((resolve) => this.pending.set(id, resolve));
    this.transmit(Buffer.from(bytes));
    return response;
  }

  /** A request with the long-term credential dance: learns REALM/NONCE from a 401, takes a fresh NONCE on 438. */
  async call(method: number, build?: (b: MessageBuilder) => void, options: RequestOptions = {}): Promise<StunMessage> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const signed = this.nonce !== undefined;
      const response = await this.request(method, build, { ...options, sign: signed });
      const code = getErrorCode(response)?.code;
      if ((code === 401 && !signed) || code === 438) {
        this.realm = getRealm(response);
        this.nonce = getNonce(response);
        continue;
      }
      return response;
    }
    throw new Error('the server kept challenging');
  }

  allocate(build?: (b: MessageBuilder) => void): Promise<StunMessage> {
    return this.call(StunMethod.Allocate, (b) => {
      addRequestedTransport(b, TRANSPORT_UDP);
      build?.(b);
    });
  }

  refresh(lifetime?: number): Promise<StunMessage> {
    return this.call(StunMethod.Refresh, lifetime === undefined ? undefined : (b) => addLifetime(b, lifetime));
  }

  createPermission(...peers: TransportAddressInput[]): Promise<StunMessage> {
    return this.call(StunMethod.CreatePermission, (b) => {
      for (const peer of peers) {
        addXorPeerAddress(b, peer);
      }
    });
  }

  channelBind(channel: number, peer: TransportAddressInput): Promise<StunMessage> {
    return this.call(StunMethod.ChannelBind, (b) => {
      addChannelNumber(b, channel);
      addXorPeerAddress(b, peer);
    });
  }

  /** A Send indication (RFC 8656 §11.1). */
  sendIndication(peer: TransportAddressInput, data: Buffer, build?: (b: MessageBuilder) => void): void {
    const builder = new MessageBuilder(StunMethod.Send, StunClass.Indication);
    addXorPeerAddress(builder, peer);
    addData(builder, data);
    build?.(builder);
    this.transmit(Buffer.from(builder.build()));
  }

  /** A ChannelData message (RFC 8656 §12.4), padded over streams. */
  sendChannelData(channel: number, data: Buffer): void {
    const padded = this.stream ? (data.length + 3) & ~3 : data.length;
    const out = Buffer.alloc(4 + padded);
    out.writeUInt16BE(channel, 0);
    out.writeUInt16BE(data.length, 2);
    data.copy(out, 4);
    this.transmit(out);
  }

  /** The next ChannelData or Data indication from the server. */
  nextData(): Promise<Received> {
    const queued = this.inbox.shift();
    if (queued !== undefined) {
      return Promise.resolve(queued);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Messages received that were not responses and not yet taken. */
  get unread(): number {
    return this.inbox.length;
  }

  private deliver(received: Received): void {
    const waiter = this.waiting.shift();
    if (waiter !== undefined) {
      waiter(received);
    } else {
      this.inbox.push(received);
    }
  }
}
