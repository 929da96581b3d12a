import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Contacts, MAX_CONTACTS_PER_PEER } from './contacts.js';

test('contacts are symmetric, the least recent one goes first past the limit, and take() forgets both ways', () => {
  const contacts = new Contacts();
  contacts.link('a', 'b');
  contacts.link('a', 'c');
  contacts.link('b', 'a'); // b is a's most recent contact again
  contacts.link('a', 'b');
  for (let i = 0; i < MAX_CONTACTS_PER_PEER - 1; i++) {
    contacts.link('a', `p${i}`);
  }
  const ofA = contacts.take('a');
  assert.equal(ofA.length, MAX_CONTACTS_PER_PEER);
  assert.ok(!ofA.includes('c'), 'c was the least recent: forgotten');
  assert.ok(ofA.includes('b'), 'b was talked to again: kept');
  assert.deepEqual(contacts.take('b'), [], 'b forgot a');
  assert.deepEqual(contacts.take('c'), ['a'], "c still remembers a (a's own list was bounded, not c's)");
});

test("a peer taken away is no longer anyone's most recent contact", () => {
  const contacts = new Contacts();
  contacts.link('a', 'b');
  contacts.link('a', 'c');
  assert.deepEqual(contacts.take('c'), ['a']);
  contacts.link('a', 'c'); // c is back: a remembers it again
  assert.deepEqual(contacts.take('a').sort(), ['b', 'c']);
  assert.equal(contacts.size, 0);
});
