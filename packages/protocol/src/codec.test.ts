import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClientMessage, parseServerMessage } from './codec.js';
import { ERROR_CATALOG, ERROR_CODES, RendezvousError, isErrorCode } from './errors.js';
import { isJsonWithin, MAX_JSON_DEPTH } from './primitives.js';
import { PROTOCOL_VERSION } from './version.js';

/** `[[…[]…]]`: arrays nested `depth` levels. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) {
    value = [value];
  }
  return value;
}

const valid: unknown[] = [
  { type: 'hello', version: PROTOCOL_VERSION, displayName: '  Ada  ' },
  { type: 'hello', version: 1, displayName: 'Ada', resumeToken: 'tok', requestId: 'r1' },
  { type: 'join', room: 'daily-standup', media: { audioMuted: true, videoMuted: false, screenSharing: false } },
  { type: 'join', room: 'a' },
  { type: 'leave' },
  { type: 'signal', to: 'AbCdEfGh12345678', data: { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } } },
  {
    type: 'signal',
    to: 'AbCdEfGh12345678',
    data: { kind: 'candidate', candidate: { candidate: '', sdpMid: '0', sdpMLineIndex: 0 } },
  },
  { type: 'signal', to: 'AbCdEfGh12345678', data: { kind: 'reset' } },
  { type: 'media-state', media: { audioMuted: false, videoMuted: true, screenSharing: true } },
  { type: 'room-event', event: 'hand' },
  { type: 'room-event', event: 'reaction:thumbs-up.v2_x', data: { emoji: '👍', at: [1, 2.5, null, true] }, requestId: 'r9' },
  { type: 'room-event', event: '0', data: 'plain string' },
  { type: 'call', to: 'AbCdEfGh12345678' },
  { type: 'call-accept', callId: 'call-1234567' },
  { type: 'call-reject', callId: 'call-1234567' },
  { type: 'call-cancel', callId: 'call-1234567' },
  { type: 'call-hangup', callId: 'call-1234567' },
];

const invalid: Array<[unknown, RegExp]> = [
  [{ type: 'hello', version: 1, displayName: '   ' }, /displayName: display name is empty/],
  [{ type: 'hello', version: 1, displayName: 'x'.repeat(65) }, /longer than 64/],
  [{ type: 'hello', version: 1, displayName: 'bell\u0007' }, /control characters/],
  [{ type: 'join', room: '~call-abc' }, /room: invalid room name/],
  [{ type: 'join', room: 'has space' }, /invalid room name/],
  [{ type: 'join', room: 'x'.repeat(65) }, /invalid room name/],
  [{ type: 'signal', to: 'short', data: { kind: 'reset' } }, /to: invalid peer id/],
  [
    { type: 'signal', to: 'AbCdEfGh12345678', data: { kind: 'description', description: { type: 'pranswer', sdp: '' } } },
    /description\.type/,
  ],
  [
    {
      type: 'signal',
      to: 'AbCdEfGh12345678',
      data: { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(60_001) } },
    },
    /sdp/,
  ],
  [{ type: 'media-state', media: { audioMuted: 'yes' } }, /media/],
  [{ type: 'room-event' }, /event/],
  [{ type: 'room-event', event: '' }, /event: invalid event name/],
  [{ type: 'room-event', event: 'Hand' }, /event: invalid event name/],
  [{ type: 'room-event', event: '-hand' }, /event: invalid event name/],
  [{ type: 'room-event', event: 'hand raised' }, /event: invalid event name/],
  [{ type: 'room-event', event: 'x'.repeat(65) }, /event: event name is longer than 64/],
  [{ type: 'room-event', event: 'deep', data: nested(MAX_JSON_DEPTH + 1) }, /data: expected a JSON value nested at most 32/],
  [{ type: 'teleport' }, /type/],
  [[], /expected object/i],
  [null, /expected object/i],
];

test('every client message type parses, and parsing trims display names', () => {
  for (const message of valid) {
    const result = parseClientMessage(JSON.stringify(message));
    assert.ok(result.ok, `${JSON.stringify(message)}: ${result.ok ? '' : result.detail}`);
  }
  const hello = parseClientMessage(JSON.stringify(valid[0]));
  assert.ok(hello.ok && hello.message.type === 'hello' && hello.message.displayName === 'Ada');
});

test('schema violations are BAD_MESSAGE with a readable detail', () => {
  for (const [message, detail] of invalid) {
    const result = parseClientMessage(JSON.stringify(message));
    assert.equal(result.ok, false, JSON.stringify(message).slice(0, 80));
    if (!result.ok) {
      assert.equal(result.code, 'BAD_MESSAGE');
      assert.match(result.detail, detail);
    }
  }
});

test('broken JSON is BAD_JSON; a requestId is salvaged from an invalid message', () => {
  for (const text of ['{', '', 'undefined', '{"type":"join",}']) {
    const result = parseClientMessage(text);
    assert.ok(!result.ok && result.code === 'BAD_JSON', text);
  }
  const result = parseClientMessage(JSON.stringify({ type: 'join', room: '!', requestId: 'req-7' }));
  assert.ok(!result.ok && result.requestId === 'req-7');
  const tooLong = parseClientMessage(JSON.stringify({ type: 'join', room: '!', requestId: 'x'.repeat(65) }));
  assert.ok(!tooLong.ok && tooLong.requestId === undefined);
});

test('server messages validate on the client side too', () => {
  const ok = parseServerMessage(JSON.stringify({ type: 'error', code: 'ROOM_FULL', message: 'full', requestId: 'r' }));
  assert.ok(ok.ok);
  const unknownCode = parseServerMessage(JSON.stringify({ type: 'error', code: 'NOPE', message: 'x' }));
  assert.ok(!unknownCode.ok && unknownCode.code === 'BAD_MESSAGE');
});

test('room-event data: any JSON nested up to the limit; a nesting that would overflow a recursive walk is refused, not thrown', () => {
  const ok = parseClientMessage(JSON.stringify({ type: 'room-event', event: 'deep', data: nested(MAX_JSON_DEPTH) }));
  assert.ok(ok.ok, ok.ok ? '' : ok.detail);
  const hostile = `{"type":"room-event","event":"deep","data":${'['.repeat(30_000)}${']'.repeat(30_000)}}`;
  const refused = parseClientMessage(hostile);
  assert.ok(!refused.ok && refused.code === 'BAD_MESSAGE');
  assert.equal(isJsonWithin({ a: [1, 'b', null, { c: false }] }, 3), true);
  assert.equal(isJsonWithin({ a: [{ c: false }] }, 2), false);
  for (const value of [undefined, Number.NaN, Infinity, () => 1, new Date(0), 1n]) {
    assert.equal(isJsonWithin(value, 4), false, String(value));
  }
});

test('the server relays room-event with room and from; error detail is a bounded flat record', () => {
  const relayed = { type: 'room-event', room: '~call-AbCdEfGh', from: 'AbCdEfGh12345678', event: 'hand', data: { up: true } };
  assert.ok(parseServerMessage(JSON.stringify(relayed)).ok);
  const full = parseServerMessage(
    JSON.stringify({ type: 'error', code: 'ROOM_FULL', message: 'The room is full.', detail: { size: 6, capacity: 6 } }),
  );
  assert.ok(full.ok && full.message.type === 'error' && full.message.detail?.['capacity'] === 6);
  const badDetails = [
    { nested: { a: 1 } },
    { list: [1] },
    { nothing: null },
    { 'bad key': 1 },
    { long: 'x'.repeat(257) },
    Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i])),
  ];
  for (const detail of badDetails) {
    const result = parseServerMessage(JSON.stringify({ type: 'error', code: 'ROOM_FULL', message: 'x', detail }));
    assert.ok(!result.ok && result.code === 'BAD_MESSAGE', JSON.stringify(detail));
  }
});

test('the error catalog: stable codes, scope and message for each; RendezvousError carries code and cause', () => {
  assert.ok(ERROR_CODES.length >= 30);
  for (const code of ERROR_CODES) {
    assert.match(code, /^[A-Z][A-Z_]+$/);
    assert.ok(ERROR_CATALOG[code].message.length > 0);
    assert.ok(isErrorCode(code));
  }
  assert.equal(isErrorCode('toString'), false);
  const cause = new Error('socket closed');
  const error = RendezvousError.of('TIMEOUT', undefined, cause);
  assert.equal(error.code, 'TIMEOUT');
  assert.equal(error.message, ERROR_CATALOG.TIMEOUT.message);
  assert.equal(error.cause, cause);
  assert.ok(error instanceof Error);
});

test('display names with bidi controls, zero-width, C1 or only invisible characters are BAD_MESSAGE; ordinary names pass', () => {
  const hello = (displayName: string) => parseClientMessage(JSON.stringify({ type: 'hello', version: 1, displayName }));
  const refused = [
    'Bob\u200B', // zero-width space
    'Bob\u200D', // zero-width joiner
    'Bo\uFEFFb', // byte-order mark inside
    '\u200D\u200D', // joiners alone
    'a\u200Db', // joiner between letters
    'Bob\u2060', // word joiner
    'evil\u202Egnp.exe', // right-to-left override
    '\u2066Bob\u2069', // isolates
    'Bob\u200F', // right-to-left mark
    'Bob\u0085', // C1 NEL
    'Bob\u009B', // C1 CSI
    'Bob\u00AD', // soft hyphen
    'Bob\u001B[31m', // C0 escape
    '\u3164', // Hangul filler: renders as nothing
    '\u2800\u2800', // braille blank
    '\u00A0\u3000', // no-break and ideographic spaces only
  ];
  for (const name of refused) {
    const result = hello(name);
    assert.ok(!result.ok && result.code === 'BAD_MESSAGE', JSON.stringify(name));
  }
  for (const name of ['Bob', 'Zoë Ångström', '李雷', 'محمد', 'Ana María', 'O\u2019Brien', '👩‍💻 Dev', '❤️ Kim', '\uFEFFBob']) {
    const result = hello(name);
    assert.ok(result.ok, `${JSON.stringify(name)}: ${result.ok ? '' : result.detail}`);
  }
});
