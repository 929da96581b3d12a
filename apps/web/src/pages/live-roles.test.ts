import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPresenting, viewerCount, type LiveMember } from './live-roles.js';
import type { DataMessage } from '@rendezvous/client';
import { parseLiveSignal } from './live-invite.js';

const off = { audioMuted: true, videoMuted: true, screenSharing: false };

test('a member presents while it sends its microphone, its camera or its screen', () => {
  assert.equal(isPresenting(off), false);
  assert.equal(isPresenting({ ...off, audioMuted: false }), true);
  assert.equal(isPresenting({ ...off, videoMuted: false }), true);
  assert.equal(isPresenting({ ...off, screenSharing: true }), true);
});

test('the viewer count counts everyone who does not present, this client included', () => {
  const member = (peerId: string, presenting: boolean, self = false): LiveMember => ({ peerId, name: peerId, self, presenting });
  assert.equal(viewerCount([member('me', false, true), member('a', true), member('b', false)]), 2);
  assert.equal(viewerCount([member('me', true, true), member('a', true)]), 0);
});

test('live signals: only an invite or a decline, anything else is ignored', () => {
  assert.equal(parseLiveSignal({ live: 'invite' }), 'invite');
  assert.equal(parseLiveSignal({ live: 'decline' }), 'decline');
  const others: DataMessage[] = [{ live: 'kick' }, { live: 1 }, 'invite', ['invite'], null, 3, new ArrayBuffer(2), {}];
  for (const other of others) {
    assert.equal(parseLiveSignal(other), null, JSON.stringify(other));
  }
});
