import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Sfu } from '@rendezvous/sfu';
import { roomShapeFor, type SfuPort } from './sfu-port.js';
import { startSignaling, type Harness } from './test-server.js';

describe('the mode and capacity of a room a join creates', { timeout: 60_000 }, () => {
  const sfu = { openRoom: () => assert.fail('not called') } as unknown as SfuPort;
  const server = { defaultMode: 'mesh' as const, sfu, meshCapacity: 6, sfuCapacity: 100 };

  it('follows the join, then the capacity asked for, then the server', () => {
    assert.deepEqual(roomShapeFor({}, server), { mode: 'mesh', capacity: 6 });
    assert.deepEqual(roomShapeFor({ capacity: 4 }, server), { mode: 'mesh', capacity: 4 });
    assert.deepEqual(roomShapeFor({ capacity: 6 }, server), { mode: 'mesh', capacity: 6 });
    assert.deepEqual(roomShapeFor({ capacity: 7 }, server), { mode: 'sfu', capacity: 7 }, 'more than a mesh holds');
    assert.deepEqual(roomShapeFor({ capacity: 500 }, server), { mode: 'sfu', capacity: 100 });
    assert.deepEqual(roomShapeFor({ capacity: 50, mode: 'mesh' }, server), { mode: 'mesh', capacity: 6 });
    assert.deepEqual(roomShapeFor({ mode: 'sfu' }, server), { mode: 'sfu', capacity: 100 });
    assert.deepEqual(roomShapeFor({ mode: 'sfu', capacity: 3 }, server), { mode: 'sfu', capacity: 3 });
    assert.deepEqual(roomShapeFor({}, { ...server, defaultMode: 'sfu' }), { mode: 'sfu', capacity: 100 });
    assert.deepEqual(roomShapeFor({ capacity: 50 }, { ...server, sfu: undefined }), { mode: 'mesh', capacity: 6 }, 'no SFU');
  });

  describe('over the wire', () => {
    let h: Harness;
    let real: Sfu;
    before(async () => {
      real = await Sfu.start({ port: 0, bindAddress: '127.0.0.1' });
      h = await startSignaling({ sfu: real });
    });
    after(async () => {
      await h.close();
      await real.close();
    });

    it('a join asking for 30 places makes an SFU room of 30; later joins keep it', async () => {
      const a = await h.peer('A');
      const joined = await a.join('class-30', { capacity: 30 });
      assert.deepEqual([joined.mode, joined.capacity], ['sfu', 30]);
      const b = await h.peer('B');
      const again = await b.join('class-30', { capacity: 2, mode: 'mesh' });
      assert.deepEqual([again.mode, again.capacity], ['sfu', 30]);
      const c = await h.peer('C');
      c.sendJson({ type: 'join', room: 'x', capacity: 1, requestId: 'bad' });
      assert.equal((await c.errorFor('bad')).code, 'BAD_MESSAGE');
    });
  });
});
