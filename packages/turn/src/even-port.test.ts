import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  FAMILY_IPV4,
  addEvenPort,
  addRequestedAddressFamily,
  addReservationToken,
  getErrorCode,
  getReservationToken,
  getXorRelayedAddress,
  type StunMessage,
} from '@rendezvous/stun';
import { RELAY_V4, startEngine, type Harness } from './test-harness.js';

const code = (msg: StunMessage): number | undefined => getErrorCode(msg)?.code;

describe('EVEN-PORT and RESERVATION-TOKEN (RFC 8656 §7.2)', { timeout: 10_000 }, () => {
  let h: Harness;
  afterEach(() => h.close());

  it('gives an even port for EVEN-PORT without the R bit, and no token', async () => {
    h = startEngine({ limits: { relayPortMin: 50001, relayPortMax: 50010 } });
    for (let i = 0; i < 4; i++) {
      const response = await h.connect({ credentials: h.rest(`u${i}`) }).client.allocate((b) => addEvenPort(b, false));
      assert.equal(code(response), undefined);
      assert.equal(getXorRelayedAddress(response)!.port % 2, 0);
      assert.equal(getReservationToken(response), undefined);
    }
  });

  it('reserves port N+1 with the R bit; an Allocate with the token (another 5-tuple) gets it, once', async () => {
    h = startEngine();
    const rtp = await h.connect().client.allocate((b) => addEvenPort(b, true));
    assert.equal(code(rtp), undefined);
    const port = getXorRelayedAddress(rtp)!.port;
    assert.equal(port % 2, 0);
    const token = Buffer.from(getReservationToken(rtp)!);
    assert.equal(token.length, 8);
    assert.ok(h.network.isBound(RELAY_V4, port + 1), 'the next port is held');
    assert.equal(h.engine.stats().reservations, 1);

    const rtcp = await h.connect().client.allocate((b) => addReservationToken(b, token));
    assert.equal(code(rtcp), undefined);
    assert.deepEqual(getXorRelayedAddress(rtcp), { family: 'IPv4', address: RELAY_V4, port: port + 1 });
    assert.equal(h.engine.stats().reservations, 0);
    assert.equal(code(await h.connect().client.allocate((b) => addReservationToken(b, token))), 508, 'used up');
  });

  it('answers 508 to an unknown token and 400 to a token with EVEN-PORT or a family', async () => {
    h = startEngine();
    const token = Buffer.from('01234567');
    assert.equal(code(await h.connect().client.allocate((b) => addReservationToken(b, token))), 508);
    const both = await h.connect().client.allocate((b) => {
      addReservationToken(b, token);
      addEvenPort(b, false);
    });
    assert.equal(code(both), 400);
    const family = await h.connect().client.allocate((b) => {
      addReservationToken(b, token);
      addRequestedAddressFamily(b, FAMILY_IPV4);
    });
    assert.equal(code(family), 400);
  });

  it('drops a reservation nobody claims after reservationLifetimeSec, freeing the port', async () => {
    h = startEngine({ limits: { reservationLifetimeSec: 30 } });
    const rtp = await h.connect().client.allocate((b) => addEvenPort(b, true));
    const port = getXorRelayedAddress(rtp)!.port;
    const token = Buffer.from(getReservationToken(rtp)!);
    h.clock.advance(31_000);
    assert.equal(h.engine.stats().reservations, 0);
    assert.ok(!h.network.isBound(RELAY_V4, port + 1));
    assert.equal(code(await h.connect().client.allocate((b) => addReservationToken(b, token))), 508);
  });

  it('skips pairs whose odd port is taken, and answers 508 when no pair is left', async () => {
    h = startEngine({ limits: { relayPortMin: 50000, relayPortMax: 50005 } });
    h.network.occupied.add(`${RELAY_V4}|50001`);
    h.network.occupied.add(`${RELAY_V4}|50003`);
    const ok = await h.connect().client.allocate((b) => addEvenPort(b, true));
    assert.equal(getXorRelayedAddress(ok)!.port, 50004);
    assert.equal(code(await h.connect({ credentials: h.rest('bob') }).client.allocate((b) => addEvenPort(b, true))), 508);
    assert.equal(code(await h.connect({ credentials: h.rest('bob') }).client.allocate((b) => addEvenPort(b, false))), undefined);
  });
});
