import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RendezvousError } from '@rendezvous/protocol';
import type { JsonValue } from '../data/index.js';
import { Chat } from './chat.js';
import type { ChatMessage } from './chat-message.js';
import { CHAT_TOPIC, MAX_CHAT_TEXT } from './chat-limits.js';
import { FakeNet, settle } from './fake-port.test-util.js';

test('hostile live input is dropped with an error event, never thrown; good input still arrives', async () => {
  const net = new FakeNet();
  const port = net.join('a');
  net.join('m');
  const chat = new Chat(port);
  const got: ChatMessage[] = [];
  const errors: RendezvousError[] = [];
  chat.on('message', (m) => got.push(m));
  chat.on('error', (e) => errors.push(e));
  const bad: JsonValue[] = [
    'text',
    null,
    [1],
    { k: 'nope' },
    { k: 'msg', id: 'x', text: 'x'.repeat(MAX_CHAT_TEXT + 1), sentAt: 1 },
    { k: 'msg', id: '', text: 'hi', sentAt: 1 },
    { k: 'msg', id: 'y'.repeat(200), text: 'hi', sentAt: 1 },
    { k: 'msg', id: 'z', text: '', sentAt: 1 },
    { k: 'msg', id: 'z', text: 'hi', sentAt: -1 },
    { k: 'msg', id: 'z', text: 'hi' },
    { k: 'msg', id: 'z', text: 7, sentAt: 1 },
    { k: 'ack', id: 3 },
    { k: 'hist', messages: [], done: 'yes' },
  ];
  for (const data of bad) {
    port.receive('m', CHAT_TOPIC, data);
  }
  assert.equal(errors.length, bad.length);
  assert.ok(errors.every((e) => e.code === 'BAD_MESSAGE' && e.detail?.peerId === 'm'));
  port.receive('m', CHAT_TOPIC, { k: 'msg', id: 'ok', text: '<img src=x onerror=alert(1)>', sentAt: 5, extra: 'ignored' });
  assert.deepEqual(
    got.map((m) => [m.id, m.from, m.text, m.sentAt, m.to, Object.keys(m).includes('extra')]),
    [['ok', 'm', '<img src=x onerror=alert(1)>', 5, undefined, false]],
  );
  await settle();
});

test("a peer cannot take another's message id, nor acknowledge what was not sent to it", async () => {
  const net = new FakeNet();
  const a = new Chat(net.join('a'), { newId: () => 'same' });
  const bPort = net.join('b');
  const b = new Chat(bPort);
  net.join('c');
  net.open('a', 'b');
  const errors: RendezvousError[] = [];
  b.on('error', (e) => errors.push(e));
  const sent = a.send('to b only', { to: 'b' });
  await settle();
  bPort.receive('c', CHAT_TOPIC, { k: 'msg', id: 'same', text: 'impostor', sentAt: 1 });
  assert.deepEqual(
    b.messages.map((m) => m.text),
    ['to b only'],
  );
  assert.equal(errors.length, 1);
  net.ports.get('a')?.receive('c', CHAT_TOPIC, { k: 'ack', id: 'same' });
  assert.deepEqual(sent.deliveredTo, ['b']);
});
