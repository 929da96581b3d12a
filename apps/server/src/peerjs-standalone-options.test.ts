import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PEERJS_DEFAULTS } from '@rendezvous/peerjs';
import { ConfigError } from './config.js';
import { loadPeerjsStandaloneConfig, readStandaloneTls } from './peerjs-standalone-options.js';

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) => loadPeerjsStandaloneConfig(argv, env);

function problemsOf(argv: string[]): string[] {
  try {
    load(argv);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

test("no flags: PeerServer's defaults", () => {
  assert.deepEqual(load([]), {
    port: 9000,
    host: undefined,
    path: '/',
    key: 'peerjs',
    expire_timeout: 5000,
    alive_timeout: 60000,
    leave_timeout: PEERJS_DEFAULTS.leave_timeout,
    concurrent_limit: 5000,
    allow_discovery: false,
    proxied: false,
    sslkey: undefined,
    sslcert: undefined,
    cors: undefined,
    logLevel: 'info',
  });
});

test("PeerServer's flag forms: long, =value, short aliases, booleans with and without a value, repeated lists", () => {
  const config = load([
    '-p',
    '9100',
    '--path=myapp/',
    '-k',
    'k1',
    '-t',
    '700',
    '-c',
    '3',
    '--alive_timeout',
    '800',
    '--leave_timeout',
    '900',
    '-H',
    '127.0.0.1',
    '--allow_discovery',
    '--proxied',
    'false',
    '--cors',
    'https://a.example',
    'http://b.example:8080',
    '--cors=https://c.example',
  ]);
  assert.equal(config.port, 9100);
  assert.equal(config.path, '/myapp');
  assert.equal(config.key, 'k1');
  assert.equal(config.expire_timeout, 700);
  assert.equal(config.concurrent_limit, 3);
  assert.equal(config.alive_timeout, 800);
  assert.equal(config.leave_timeout, 900);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.allow_discovery, true);
  assert.equal(config.proxied, false);
  assert.deepEqual(config.cors, ['https://a.example', 'http://b.example:8080', 'https://c.example']);
  assert.equal(load(['--allow_discovery=false', '--no-proxied']).allow_discovery, false);
});

test('PORT and PEERSERVER_PATH are read as PeerServer reads them; flags win', () => {
  assert.equal(load([], { PORT: '9200', PEERSERVER_PATH: '/x' }).port, 9200);
  assert.equal(load([], { PORT: '9200', PEERSERVER_PATH: '/x' }).path, '/x');
  assert.equal(load(['--port', '9300'], { PORT: '9200' }).port, 9300);
});

test('every bad flag is named, with what was wrong', () => {
  const problems = problemsOf([
    '--port',
    '70000',
    '--expire_timeout',
    '-5',
    '--allow-discovery',
    '--bogus',
    'stray',
    '--path',
    '/healthz',
    '--cors',
    'https://a.example/path',
    '--key',
  ]);
  const expected = [
    /^unknown option --allow-discovery \(did you mean --allow_discovery\?/,
    /^unknown option --bogus$/,
    /^unexpected argument "stray"$/,
    /^--key needs a value$/,
    /^--port: .*\(got "70000"\)$/,
    /^--path: expected a path other than \/healthz/,
    /^--expire_timeout: .*\(got "-5"\)$/,
    /^--cors: expected origins/,
  ];
  assert.equal(problems.length, expected.length, problems.join('\n'));
  for (const pattern of expected) {
    assert.ok(
      problems.some((p) => pattern.test(p)),
      `${String(pattern)} in\n${problems.join('\n')}`,
    );
  }
});

test('--sslkey and --sslcert go together, and must be readable', () => {
  assert.deepEqual(problemsOf(['--sslkey', 'k.pem']), ['--sslkey and --sslcert go together: give both or neither']);
  const config = load(['--sslkey', '/nonexistent/k.pem', '--sslcert', '/nonexistent/c.pem']);
  assert.throws(() => readStandaloneTls(config), /--sslkey \/nonexistent\/k.pem: cannot read the file \(ENOENT\)/);
  assert.equal(readStandaloneTls(load([])), undefined);
});
