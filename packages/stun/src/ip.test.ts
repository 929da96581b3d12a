import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressBlock, formatIPv4, formatIPv6, ipFamily, ipToBytes, parseIPv4, parseIPv6 } from './ip.js';

test('IPv4 literals parse strictly and format back', () => {
  assert.equal(parseIPv4('192.0.2.1'), 0xc0000201);
  assert.equal(parseIPv4('0.0.0.0'), 0);
  assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
  for (const bad of [
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1..2.3',
    '1.2.3.',
    '.1.2.3',
    'a.b.c.d',
    ' 1.2.3.4',
    '1.2.3.4 ',
  ]) {
    assert.equal(parseIPv4(bad), -1, bad);
  }
  assert.equal(formatIPv4(0xc0000201), '192.0.2.1');
  assert.equal(formatIPv4(0xffffffff), '255.255.255.255');
});

test('IPv6 literals parse ("::", embedded IPv4, zone) and format in RFC 5952 form', () => {
  const cases: Array<[string, string, string]> = [
    // input, bytes, canonical
    ['2001:db8:1234:5678:11:2233:4455:6677', '20010db8123456780011223344556677', '2001:db8:1234:5678:11:2233:4455:6677'],
    ['::', '0'.repeat(32), '::'],
    ['::1', '0'.repeat(31) + '1', '::1'],
    ['1::', '0001' + '0'.repeat(28), '1::'],
    ['2001:DB8::0:1', '20010db8' + '0'.repeat(20) + '0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', '20010000000000010000000000000001', '2001:0:0:1::1'],
    ['2001:db8:0:1:1:1:1:1', '20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201', '::ffff:192.0.2.1'],
    ['::ffff:c000:201', '00000000000000000000ffffc0000201', '::ffff:192.0.2.1'],
    ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304', '1:2:3:4:5:6:102:304'],
    ['fe80::1%eth0', 'fe80' + '0'.repeat(27) + '1', 'fe80::1'],
    ['1:2:3:4:5:6:7::', '0001000200030004000500060007' + '0000', '1:2:3:4:5:6:7:0'],
  ];
  for (const [input, bytes, canonical] of cases) {
    const out = new Uint8Array(18).fill(0xee);
    assert.equal(parseIPv6(input, out, 1), true, input);
    assert.equal(Buffer.from(out.subarray(1, 17)).toString('hex'), bytes.padStart(32, '0'), input);
    assert.equal(out[0], 0xee);
    assert.equal(out[17], 0xee);
    assert.equal(formatIPv6(out, 1), canonical, input);
  }
  for (const bad of [
    '',
    ':',
    ':::',
    '1:::2',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    'g::',
    '1.2.3.4::',
    '::1.2.3',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7:',
  ]) {
    assert.equal(parseIPv6(bad, new Uint8Array(16), 0), false, bad);
  }
});

test('ipFamily and ipToBytes tell the families apart', () => {
  assert.equal(ipFamily('10.0.0.1'), 'IPv4');
  assert.equal(ipFamily('::1'), 'IPv6');
  assert.equal(ipFamily('localhost'), undefined);
  assert.deepEqual(ipToBytes('10.0.0.1'), Buffer.from([10, 0, 0, 1]));
  assert.equal(ipToBytes('::1')?.length, 16);
  assert.equal(ipToBytes('nope'), undefined);
});

test('addressBlock: IPv6 as its /64 in canonical text, IPv4 (also IPv4-mapped) as the address', () => {
  const cases: Array<[string, string]> = [
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::7', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:AAAA:BBBB:CCCC:DDDD', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8::/64'],
    ['2001:db8:0:0:1::', '2001:db8::/64'],
    ['2001:0:0:5::9', '2001:0:0:5::/64'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4::/64'],
    ['fe80::1%eth0', 'fe80::/64'],
    ['FE80::ABCD%2', 'fe80::/64'],
    ['::1', '::/64'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:C000:201', '192.0.2.1'],
    ['192.0.2.1', '192.0.2.1'],
    ['127.0.0.2', '127.0.0.2'],
    ['unknown', 'unknown'],
    ['', ''],
  ];
  for (const [input, block] of cases) {
    assert.equal(addressBlock(input), block, input);
  }
  // Two addresses of one /64 are one block; the next /64 is another.
  assert.equal(addressBlock('2001:db8:a:b::1'), addressBlock('2001:db8:a:b:ffff:ffff:ffff:ffff'));
  assert.notEqual(addressBlock('2001:db8:a:b::1'), addressBlock('2001:db8:a:c::1'));
  // The IPv4-compatible form (deprecated, ::a.b.c.d) is plain IPv6: its /64 is ::/64.
  assert.equal(addressBlock('::192.0.2.1'), '::/64');
});
