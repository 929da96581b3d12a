import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RendezvousError } from '@rendezvous/protocol';
import { Chat } from './chat.js';
import type { ChatMessage } from './chat-message.js';
import { MAX_CHAT_TEXT } from './chat-limits.js';
import { FakeNet, settle } from './fake-port.test-util.js';

/** Members joined and linked in order, each with a Chat on a shared fake clock. */
function room(ids: string[]) {
  const net = new FakeNet();
  let clock = 1000;
  let next = 0;
  const chats = new Map<string, Chat>();
  const got = new Map<string, ChatMessage[]>();
  for (const id of ids) {
    const port = net.join(id);
    const chat = new Chat(port, { now: () => clock++, newId: () => `${id}-${next++}` });
    const list: ChatMessage[] = [];
    chat.on('message', (message) => list.push(message));
    chats.set(id, chat);
    got.set(id, list);
  }
  for (const a of ids) {
    for (const b of ids) {
      if (a < b) {
        net.open(a, b);
      }
    }
  }
  const chat = (id: string): Chat => chats.get(id) as Chat;
  const texts = (id: string): string[] =>
    (got.get(id) ?? []).map((m) => `${m.from}:${m.text}${m.to === undefined ? '' : `>${m.to}`}`);
  return { net, chat, texts };
}

test('a room-wide message fans out to every member, and the sender sees its own copy', async () => {
  const { chat, texts } = room(['a', 'b', 'c']);
  const sent = chat('a').send('hello <b>all</b>');
  assert.deepEqual([sent.from, sent.text, sent.to, sent.sentAt], ['a', 'hello <b>all</b>', undefined, 1000]);
  await settle();
  assert.deepEqual(texts('a'), ['a:hello <b>all</b>']);
  assert.deepEqual(texts('b'), ['a:hello <b>all</b>']);
  assert.deepEqual(texts('c'), ['a:hello <b>all</b>']);
  assert.equal(chat('c').messages[0]?.id, sent.id);
});

test('a private message reaches only its recipient, and is kept by the two parties only', async () => {
  const { chat, texts } = room(['a', 'b', 'c']);
  chat('a').send('psst', { to: 'c' });
  await settle();
  assert.deepEqual(texts('c'), ['a:psst>c']);
  assert.deepEqual(texts('b'), []);
  assert.equal(chat('a').messages[0]?.to, 'c');
  assert.deepEqual(chat('b').messages, []);
});

test('each recipient acknowledges: delivered events, deliveredTo, and delivered once all did', async () => {
  const { chat } = room(['a', 'b', 'c']);
  const events: Array<[string, string]> = [];
  chat('a').on('delivered', (id, peerId) => events.push([id, peerId]));
  const sent = chat('a').send('hi');
  assert.deepEqual([sent.recipients, sent.deliveredTo, sent.delivered], [['b', 'c'], [], false]);
  await settle();
  assert.deepEqual(events.map(([, p]) => p).sort(), ['b', 'c']);
  assert.ok(events.every(([id]) => id === sent.id));
  assert.deepEqual([...sent.deliveredTo].sort(), ['b', 'c']);
  assert.equal(sent.delivered, true);
  const priv = chat('a').send('one', { to: 'b' });
  await settle();
  assert.deepEqual([priv.recipients, priv.deliveredTo, priv.delivered], [['b'], ['b'], true]);
});

test('a message sent before the channel opens is queued and acknowledged once it opens', async () => {
  const net = new FakeNet();
  const a = new Chat(net.join('a'));
  const b = new Chat(net.join('b'));
  const got: string[] = [];
  b.on('message', (m) => got.push(m.text));
  const sent = a.send('early');
  await settle();
  assert.deepEqual([got, sent.delivered], [[], false]);
  net.open('a', 'b');
  await settle();
  assert.deepEqual([got, sent.delivered], [['early'], true]);
});

test('a recipient that leaves before acknowledging no longer holds the message back', async () => {
  const net = new FakeNet();
  const a = new Chat(net.join('a'));
  new Chat(net.join('b'));
  new Chat(net.join('c'));
  net.open('a', 'b'); // c never becomes reachable
  const updates: boolean[] = [];
  a.on('updated', (m) => updates.push(m.delivered));
  const sent = a.send('hi');
  await settle();
  assert.deepEqual([sent.deliveredTo, sent.delivered], [['b'], false]);
  net.leave('c');
  assert.deepEqual([sent.recipients, sent.delivered], [['b'], true]);
  assert.deepEqual(updates, [false, true]);
});

test('send refuses bad text, too-long text, unknown or own recipients, and sends nothing', () => {
  const { net, chat } = room(['a', 'b']);
  const port = net.ports.get('a');
  assert.throws(() => chat('a').send(''), TypeError);
  assert.throws(() => chat('a').send(42 as unknown as string), TypeError);
  assert.doesNotThrow(() => chat('a').send('x'.repeat(MAX_CHAT_TEXT)));
  assert.throws(() => chat('a').send('x'.repeat(MAX_CHAT_TEXT + 1)), { code: 'DATA_TOO_LARGE' });
  assert.throws(() => chat('a').send('hi', { to: 'zed' }), { code: 'PEER_NOT_IN_ROOM' });
  assert.throws(() => chat('a').send('hi', { to: 'a' }), { code: 'PEER_NOT_IN_ROOM' });
  assert.equal(port?.sent.length, 1);
  assert.equal(chat('a').messages.length, 1);
  if (port !== undefined) {
    port.refuse = new RendezvousError('DATA_TOO_LARGE', 'queue full');
  }
  assert.throws(() => chat('a').send('full'), { code: 'DATA_TOO_LARGE' });
  assert.equal(chat('a').messages.length, 1);
});

test('the kept messages are bounded to the last 100, oldest first', async () => {
  const { chat } = room(['a', 'b']);
  for (let i = 0; i < 130; i++) {
    chat('a').send(`m${i}`);
  }
  await settle();
  for (const id of ['a', 'b']) {
    const texts = chat(id).messages.map((m) => m.text);
    assert.equal(texts.length, 100);
    assert.deepEqual([texts[0], texts[99]], ['m30', 'm129']);
  }
});

test('close() is idempotent, leaves no listener on the port or the chat, and send then throws', async () => {
  const { net, chat } = room(['a', 'b']);
  const port = net.ports.get('a');
  chat('a').on('message', () => undefined);
  chat('a').close();
  chat('a').close();
  assert.equal(port?.listenerCount(), 0);
  assert.equal(chat('a').listenerCount('message'), 0);
  assert.throws(() => chat('a').send('x'), { code: 'INVALID_STATE' });
  chat('b').send('to a closed chat');
  await settle(); // no ack comes back, nothing throws
  assert.equal(chat('b').messages[0]?.delivered, false);
});

test('the room closing closes the chat', () => {
  const net = new FakeNet();
  const port = net.join('a');
  const chat = new Chat(port);
  port.closed.fire();
  assert.equal(port.listenerCount(), 0);
  assert.throws(() => chat.send('x'), { code: 'INVALID_STATE' });
});
