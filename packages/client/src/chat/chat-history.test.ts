import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RendezvousError } from '@rendezvous/protocol';
import { Chat } from './chat.js';
import { CHAT_TOPIC, MAX_CHAT_TEXT } from './chat-limits.js';
import { FakeNet, settle, type FakePort } from './fake-port.test-util.js';

function member(net: FakeNet, id: string, clock: { t: number }) {
  const port = net.join(id);
  let n = 0;
  const chat = new Chat(port, { now: () => clock.t++, newId: () => `${id}-${n++}` });
  const errors: RendezvousError[] = [];
  chat.on('error', (error) => errors.push(error));
  return { port, chat, errors };
}

const historyAsks = (port: FakePort): string[] =>
  port.sent.filter(([, , data]) => (data as { k?: string }).k === 'hist?').map(([to]) => to);
const historyAnswers = (port: FakePort): string[] =>
  port.sent.filter(([, , data]) => (data as { k?: string }).k === 'hist').map(([to]) => to);

test('a late joiner gets the room-wide history from one member, in time order, without the private ones', async () => {
  const net = new FakeNet();
  const clock = { t: 1 };
  const a = member(net, 'a', clock);
  const b = member(net, 'b', clock);
  net.open('a', 'b');
  a.chat.send('one');
  b.chat.send('two');
  a.chat.send('secret', { to: 'b' });
  a.chat.send('three');
  await settle();
  const c = member(net, 'c', clock);
  const arrived: string[] = [];
  c.chat.on('message', (m) => arrived.push(`${m.from}:${m.text}:${String(m.fromHistory)}`));
  net.open('a', 'c');
  net.open('b', 'c');
  await settle();
  assert.deepEqual(arrived, ['a:one:true', 'b:two:true', 'a:three:true']);
  assert.deepEqual(historyAsks(c.port), ['a']);
  assert.deepEqual(historyAsks(b.port), ['a']); // b too joined after a
  assert.deepEqual([historyAnswers(a.port), historyAnswers(b.port)], [['b', 'c'], []]);
  assert.deepEqual(historyAsks(a.port), [], 'a member that saw others join never asks them');
  assert.deepEqual(c.errors, []);
});

test('history and live messages are deduplicated by id and ordered by time', async () => {
  const net = new FakeNet();
  const clock = { t: 100 };
  const a = member(net, 'a', clock);
  a.chat.send('alone');
  const c = member(net, 'c', clock);
  net.open('a', 'c');
  a.chat.send('live'); // queued after the answer or before it: either way once
  await settle();
  assert.deepEqual(
    c.chat.messages.map((m) => m.text),
    ['alone', 'live'],
  );
  c.port.receive('a', CHAT_TOPIC, { k: 'msg', id: 'a-1', text: 'live', sentAt: 101 });
  await settle();
  assert.equal(c.chat.messages.length, 2);
});

test('if the member asked leaves before answering, the next one is asked', async () => {
  const net = new FakeNet();
  const clock = { t: 1 };
  member(net, 'a', clock);
  const b = member(net, 'b', clock);
  net.open('a', 'b');
  b.chat.send('kept by b');
  await settle();
  const c = member(net, 'c', clock);
  net.open('a', 'c'); // c asks a…
  net.leave('a'); // …which leaves before its answer arrives
  net.open('b', 'c');
  await settle();
  assert.deepEqual(historyAsks(c.port), ['a', 'b']);
  assert.deepEqual(
    c.chat.messages.map((m) => m.text),
    ['kept by b'],
  );
});

test('a history answer is sent once per connection, and only the asked member is believed', async () => {
  const net = new FakeNet();
  const clock = { t: 1 };
  const a = member(net, 'a', clock);
  const b = member(net, 'b', clock);
  net.open('a', 'b');
  b.port.sendInternal(CHAT_TOPIC, { k: 'hist?' }, 'a');
  b.port.sendInternal(CHAT_TOPIC, { k: 'hist?' }, 'a');
  await settle();
  assert.deepEqual(historyAnswers(a.port), ['b']); // b's own ask on open, then two forged ones: one answer
  a.port.receive('b', CHAT_TOPIC, { k: 'hist', messages: [{ id: 'x', from: 'z', text: 'forged', sentAt: 1 }], done: true });
  assert.deepEqual(
    a.errors.map((e) => e.code),
    ['BAD_MESSAGE'],
  );
  assert.equal(a.chat.messages.length, 0);
});

test('hostile history: too many, too long, bad shapes are dropped with error events, never thrown', async () => {
  const net = new FakeNet();
  const clock = { t: 1 };
  net.join('a'); // a raw port, no Chat: it answers by hand
  const c = member(net, 'c', clock);
  net.open('a', 'c');
  await settle();
  assert.deepEqual(historyAsks(c.port), ['a']);
  const item = (i: number) => ({ id: `h${i}`, from: 'a', text: `t${i}`, sentAt: i });
  const send = (data: unknown) => c.port.receive('a', CHAT_TOPIC, data as never);
  send({ k: 'hist', messages: Array.from({ length: 101 }, (_, i) => item(i)), done: false }); // one batch too big
  send({ k: 'hist', messages: 'nope', done: false });
  send({
    k: 'hist',
    messages: [item(1), { ...item(2), text: 'x'.repeat(MAX_CHAT_TEXT + 1) }, { id: 5 }, null, { ...item(3), sentAt: 'later' }],
    done: false,
  });
  send({ k: 'hist', messages: Array.from({ length: 100 }, (_, i) => item(i + 10)), done: true }); // 99 more fit
  assert.deepEqual(
    c.errors.map((e) => e.code),
    ['BAD_MESSAGE', 'BAD_MESSAGE', 'BAD_MESSAGE', 'BAD_MESSAGE'],
  );
  assert.equal(c.chat.messages.length, 100);
  assert.deepEqual([c.chat.messages[0]?.text, c.chat.messages[99]?.text], ['t1', 't108']);
  send({ k: 'hist', messages: [item(999)], done: true }); // after the answer completed: not believed
  assert.equal(c.errors.length, 5);
  assert.equal(c.chat.messages.length, 100);
});
