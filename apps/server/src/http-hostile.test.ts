import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from './app.js';
import { helloGetsWelcome, rawGet, rawRequest, startTestServer } from './test-raw-http.js';

const H = 'Host: 127.0.0.1\r\n';

/** One hostile request: the raw bytes, the exact status it must get, and (optionally) the error code. */
interface Row {
  name: string;
  bytes: string;
  status: number;
  code?: string;
}

const ROWS: Row[] = [
  { name: 'target //[ (new URL() used to throw)', bytes: `GET //[ HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'target //x:99999', bytes: `GET //x:99999 HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'lone percent /%', bytes: `GET /% HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'truncated UTF-8 /%E0%A4%A', bytes: `GET /%E0%A4%A HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'overlong UTF-8 /%C0%AF', bytes: `GET /room/%C0%AF HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'encoded traversal', bytes: `GET /..%2f..%2fetc/passwd HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'plain traversal', bytes: `GET /assets/../../etc/passwd HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'encoded NUL', bytes: `GET /%00 HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'absolute-form http://evil/', bytes: `GET http://evil/ HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'asterisk-form', bytes: `GET * HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'OPTIONS *', bytes: `OPTIONS * HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'backslash path', bytes: `GET /\\..\\x HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'NUL byte in target', bytes: `GET /\0 HTTP/1.1\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'NUL byte in a header', bytes: `GET / HTTP/1.1\r\n${H}X: a\0b\r\n\r\n`, status: 400, code: 'BAD_REQUEST' },
  {
    name: 'header > 16 KiB',
    bytes: `GET / HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    status: 431,
    code: 'BAD_REQUEST',
  },
  { name: 'many headers > 16 KiB', bytes: `GET / HTTP/1.1\r\n${H}${'X-A: 0123456789abcdef\r\n'.repeat(1000)}\r\n`, status: 431 },
  { name: 'header without colon', bytes: `GET / HTTP/1.1\r\n${H}NoColonHere\r\n\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'space before colon', bytes: `GET / HTTP/1.1\r\nHost : a\r\n\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'obsolete header folding', bytes: `GET / HTTP/1.1\r\n${H}X: a\r\n b\r\n\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'Host with a space', bytes: `GET / HTTP/1.1\r\nHost: a b\r\n\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'Host with an open bracket', bytes: `GET / HTTP/1.1\r\nHost: [::1\r\n\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'Host with port 99999', bytes: `GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'HTTP/1.1 without Host', bytes: `GET / HTTP/1.1\r\n\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'PROPFIND', bytes: `PROPFIND / HTTP/1.1\r\n${H}\r\n`, status: 405, code: 'METHOD_NOT_ALLOWED' },
  {
    name: 'DELETE /api/ice-servers',
    bytes: `DELETE /api/ice-servers HTTP/1.1\r\n${H}\r\n`,
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'CONNECT',
    bytes: `CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n`,
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  { name: 'lowercase get', bytes: `get / HTTP/1.1\r\n${H}\r\n`, status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'made-up method', bytes: `FROB / HTTP/1.1\r\n${H}\r\n`, status: 405, code: 'METHOD_NOT_ALLOWED' },
  {
    name: 'a body on GET',
    bytes: `GET /healthz HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello`,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'chunked garbage on GET',
    bytes: `GET /healthz HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\nxxx\r\n`,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'chunked garbage on POST',
    bytes: `POST /api/ice-servers HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\nxxx\r\n`,
    status: 405,
  },
  {
    name: 'Content-Length and Transfer-Encoding',
    bytes: `GET / HTTP/1.1\r\n${H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    status: 400,
  },
  {
    name: 'two different Content-Lengths',
    bytes: `GET / HTTP/1.1\r\n${H}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    status: 400,
  },
  { name: 'HTTP/0.9 request line', bytes: `GET /\r\n\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'HTTP/2.0 in text', bytes: `GET / HTTP/2.0\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'HTTP/1.x', bytes: `GET / HTTP/1.x\r\n${H}\r\n`, status: 400, code: 'BAD_REQUEST' },
  { name: 'bare LF line ends', bytes: `GET /healthz HTTP/1.1\n${H.replace('\r', '')}\n`, status: 400 },
  { name: 'binary junk', bytes: '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xff\xfe', status: 400 },
  {
    name: 'upgrade on a non-/ws path',
    bytes: `GET / HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    status: 404,
  },
  {
    name: 'upgrade with a malformed target',
    bytes: `GET //[ HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    status: 404,
  },
  {
    name: 'upgrade on /ws without a key',
    bytes: `GET /ws HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    status: 400,
  },
  { name: 'plain GET /ws', bytes: `GET /ws HTTP/1.1\r\n${H}\r\n`, status: 404, code: 'NOT_FOUND' },
  { name: 'source map', bytes: `GET /assets/index.js.map HTTP/1.1\r\n${H}\r\n`, status: 404, code: 'NOT_FOUND' },
];

for (const scheme of ['http', 'https'] as const) {
  describe(`hostile HTTP requests over ${scheme}`, () => {
    let server: RunningServer;
    before(async () => {
      server = await startTestServer({}, scheme === 'https' ? ['--https'] : []);
    });
    after(() => server.close());

    for (const row of ROWS) {
      test(`${row.name}: ${row.status}, and the server keeps serving`, async () => {
        const response = await rawRequest(server, Buffer.from(row.bytes, 'latin1'));
        assert.equal(response.status, row.status, `${row.name}: ${JSON.stringify(response)}`);
        if (row.code !== undefined) {
          assert.equal((JSON.parse(response.body) as { error: string }).error, row.code);
        }
        if (row.status === 405) {
          assert.equal(response.headers['allow'], 'GET, HEAD');
        }
        assert.equal((await rawGet(server, '/healthz')).status, 200);
      });
    }

    test('after every row the server still listens and a WebSocket hello gets its welcome', async () => {
      assert.equal(server.httpServer.listening, true);
      await helloGetsWelcome(server);
    });
  });
}
