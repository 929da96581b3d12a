import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RendezvousError, type ServerMessage } from '@rendezvous/protocol';
import type { ExternalMember, ExternalMemberInit, SfuRoomPort } from '@rendezvous/signaling';
import { createLogger } from './logger.js';
import { WhipIngest } from './whip-ingest.js';
import { OBS_OFFER } from './whip-offer.test-util.js';

interface FakeMember {
  init: ExternalMemberInit;
  left: boolean;
  tell(message: ServerMessage): void;
}

/** A signaling server that records its external members; `answer` decides what publishBundle does. */
function fakeSignaling(answer: () => Promise<string> = () => Promise.resolve('v=0 answer')) {
  const members: FakeMember[] = [];
  return {
    members,
    joinExternal(init: ExternalMemberInit): ExternalMember {
      const fake: FakeMember = { init, left: false, tell: (message) => init.onMessage?.(message) };
      members.push(fake);
      const sfu = { publishBundle: answer } as unknown as SfuRoomPort;
      return {
        peerId: `p${members.length}`,
        room: init.room,
        address: init.address,
        sfu,
        get ended() {
          return fake.left;
        },
        leave: () => {
          fake.left = true;
        },
      };
    },
  };
}

const silent = createLogger('silent');

test('a publisher joins its room as a member named after the stream, and leaves on remove()', async () => {
  const signaling = fakeSignaling();
  const ingest = new WhipIngest(signaling, { maxPublishers: 4, maxPublishersPerAddress: 2 }, silent);
  const { resource, answer } = await ingest.publish('show', OBS_OFFER, '10.0.0.1');
  assert.equal(answer, 'v=0 answer');
  assert.equal(resource.room, 'show');
  assert.match(resource.etag, /^".{8,}"$/);
  assert.deepEqual(
    signaling.members.map((m) => [m.init.room, m.init.displayName, m.left]),
    [['show', 'show', false]],
  );
  assert.equal(ingest.get(resource.id), resource);
  assert.equal(ingest.remove(resource.id), true);
  assert.equal(signaling.members[0]?.left, true);
  assert.equal(ingest.remove(resource.id), false, 'once');
  assert.equal(ingest.size, 0);
});

test('the SFU dropping the media connection (sfu-closed: ICE failed or timed out) ends the publisher', async () => {
  const signaling = fakeSignaling();
  const ingest = new WhipIngest(signaling, { maxPublishers: 4, maxPublishersPerAddress: 2 }, silent);
  const { resource } = await ingest.publish('show', OBS_OFFER, '10.0.0.1');
  signaling.members[0]?.tell({ type: 'sfu-closed', source: 'video', reason: 'failed' });
  signaling.members[0]?.tell({ type: 'sfu-closed', source: 'audio', reason: 'failed' });
  assert.equal(ingest.get(resource.id), undefined);
  assert.equal(signaling.members[0]?.left, true);
});

test('publishers are bounded in all and per address; a refused or failed one gives its slot back', async () => {
  const signaling = fakeSignaling();
  const ingest = new WhipIngest(signaling, { maxPublishers: 3, maxPublishersPerAddress: 2 }, silent);
  const a1 = await ingest.publish('a', OBS_OFFER, '10.0.0.1');
  await ingest.publish('b', OBS_OFFER, '10.0.0.1');
  await assert.rejects(ingest.publish('c', OBS_OFFER, '10.0.0.1'), (e: RendezvousError) => e.code === 'SFU_LIMIT');
  await ingest.publish('c', OBS_OFFER, '10.0.0.2');
  await assert.rejects(ingest.publish('d', OBS_OFFER, '10.0.0.3'), (e: RendezvousError) => e.code === 'SFU_LIMIT');
  ingest.remove(a1.resource.id);
  await ingest.publish('d', OBS_OFFER, '10.0.0.1');

  const failing = fakeSignaling(() => Promise.reject(new RendezvousError('SFU_LIMIT', 'no connections left')));
  const strict = new WhipIngest(failing, { maxPublishers: 1, maxPublishersPerAddress: 1 }, silent);
  await assert.rejects(strict.publish('x', OBS_OFFER, '10.0.0.1'), (e: RendezvousError) => e.code === 'SFU_LIMIT');
  assert.equal(failing.members[0]?.left, true, 'the member that could not publish left');
  await assert.rejects(strict.publish('x', OBS_OFFER, '10.0.0.1'), (e: RendezvousError) => e.message === 'no connections left');
});

test('an offer the SFU cannot take is refused before a member joins', async () => {
  const signaling = fakeSignaling();
  const ingest = new WhipIngest(signaling, { maxPublishers: 3, maxPublishersPerAddress: 2 }, silent);
  const pcmu = OBS_OFFER.replace('opus/48000/2', 'PCMU/8000');
  await assert.rejects(ingest.publish('a', pcmu, '10.0.0.1'), (e: RendezvousError) => e.code === 'SFU_CODEC_UNSUPPORTED');
  const noSsrc = OBS_OFFER.replace('a=ssrc:22 cname:obs\r\n', '');
  await assert.rejects(ingest.publish('a', noSsrc, '10.0.0.1'), (e: RendezvousError) => e.code === 'SFU_BAD_OFFER');
  const twoVideos = OBS_OFFER.replace('m=audio 9 UDP/TLS/RTP/SAVPF 111', 'm=video 9 UDP/TLS/RTP/SAVPF 111');
  await assert.rejects(ingest.publish('a', twoVideos, '10.0.0.1'), (e: RendezvousError) => e.code === 'SFU_BAD_OFFER');
  assert.equal(signaling.members.length, 0);
});

test('close() ends every publisher and refuses new ones', async () => {
  const signaling = fakeSignaling();
  const ingest = new WhipIngest(signaling, { maxPublishers: 3, maxPublishersPerAddress: 3 }, silent);
  await ingest.publish('a', OBS_OFFER, '10.0.0.1');
  await ingest.publish('b', OBS_OFFER, '10.0.0.1');
  ingest.close();
  assert.deepEqual(
    signaling.members.map((m) => m.left),
    [true, true],
  );
  await assert.rejects(ingest.publish('c', OBS_OFFER, '10.0.0.1'), (e: RendezvousError) => e.code === 'SFU_UNAVAILABLE');
});
