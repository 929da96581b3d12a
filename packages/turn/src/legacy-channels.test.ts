import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  MessageBuilder,
  StreamFramer,
  StunClass,
  StunDecodeError,
  StunMethod,
  getErrorCode,
  type StunMessage,
} from '@rendezvous/stun';
import { startEngine, type Harness } from './test-harness.js';

const code = (msg: StunMessage): number | undefined => getErrorCode(msg)?.code;
const PEER = { address: '192.0.2.70', port: 7070 };

function channelData(channel: number, payload: string): Buffer {
  const data = Buffer.from(payload);
  const out = Buffer.alloc(4 + ((data.length + 3) & ~3));
  out.writeUInt16BE(channel, 0);
  out.writeUInt16BE(data.length, 2);
  data.copy(out, 4);
  return out;
}

describe('RFC 5766 channel numbers (legacyChannelNumbers)', { timeout: 10_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('refuses 0x5000-0x7FFF by default (RFC 8656) and accepts them with the option, never 0x8000', async () => {
    h = startEngine();
    const strict = h.connect().client;
    await strict.allocate();
    assert.equal(code(await strict.channelBind(0x7fff, PEER)), 400);
    h.close();
    h = startEngine({ legacyChannelNumbers: true });
    const { client } = h.connect();
    await client.allocate();
    assert.equal(code(await client.channelBind(0x7fff, PEER)), undefined);
    assert.equal(code(await client.channelBind(0x8000, { address: PEER.address, port: 1 })), 400);
    const peer = h.network.peer(PEER.address, PEER.port);
    client.sendChannelData(0x7fff, Buffer.from('legacy'));
    assert.equal((await peer.next()).data.toString(), 'legacy');
  });

  it('frames STUN and ChannelData with legacy numbers however the stream is cut', () => {
    const stun = Buffer.from(new MessageBuilder(StunMethod.Binding, StunClass.Request).build());
    const stream = Buffer.concat([channelData(0x6abc, 'odd'), stun, channelData(0x4000, ''), channelData(0x7fff, 'four')]);
    for (const cut of [1, 3, 7, stream.length]) {
      const framer = new StreamFramer({ maxChannelNumber: 0x7fff });
      const frames: Buffer[] = [];
      for (let at = 0; at < stream.length; at += cut) {
        framer.push(stream.subarray(at, at + cut));
        for (let frame = framer.next(); frame !== undefined; frame = framer.next()) {
          frames.push(Buffer.from(frame));
        }
      }
      assert.deepEqual(
        frames.map((f) => f.toString('hex')),
        [channelData(0x6abc, 'odd').subarray(0, 7), stun, channelData(0x4000, ''), channelData(0x7fff, 'four')].map((f) =>
          f.toString('hex'),
        ),
        `cut every ${cut} bytes`,
      );
    }
  });

  it('throws on bytes that cannot start a frame', () => {
    const framer = new StreamFramer({ maxChannelNumber: 0x7fff });
    framer.push(Buffer.from([0x80, 0, 0, 0]));
    assert.throws(() => framer.next(), StunDecodeError);
    const cookie = new StreamFramer({ maxChannelNumber: 0x7fff });
    cookie.push(Buffer.from([0, 1, 0, 0, 1, 2, 3, 4]));
    assert.throws(() => cookie.next(), { code: 'BAD_COOKIE' });
  });
});
