import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RendezvousError, SignalData } from '@rendezvous/protocol';
import { FakePeerConnection, candidate, description } from './fake-peer-connection.test-util.js';
import { Negotiator, type NegotiatorOptions } from './perfect-negotiation.js';

/** A Negotiator over a fake connection, with what it sent and reported. */
function negotiator(options: NegotiatorOptions) {
  const pc = new FakePeerConnection();
  const sent: SignalData[] = [];
  const errors: RendezvousError[] = [];
  let stable = 0;
  const n = new Negotiator(pc as unknown as RTCPeerConnection, options, {
    send: (data) => sent.push(data),
    beforeAnswer: () => {
      pc.log.push('before answer');
      return Promise.resolve();
    },
    onStable: () => stable++,
    onError: (error) => errors.push(error),
  });
  /** What was sent, as "offer", "answer" or "candidate <line>". */
  const said = (): string[] =>
    sent.map((data) =>
      data.kind === 'description'
        ? data.description.type
        : data.kind === 'candidate'
          ? `candidate ${data.candidate.candidate}`
          : data.kind,
    );
  return { pc, n, sent, said, errors, stable: () => stable };
}

/** Lets the negotiation queue drain (every fake step is a microtask or two). */
const drain = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('the impolite side offers when negotiation is needed, and applies the answer', async () => {
  const { pc, n, said, errors, stable } = negotiator({ polite: false });
  pc.needNegotiation();
  await drain();
  assert.deepEqual(said(), ['offer']);
  await n.handle(description('answer'));
  assert.deepEqual(pc.log, ['local offer', 'remote answer']);
  assert.equal(pc.signalingState, 'stable');
  assert.equal(stable(), 1);
  assert.deepEqual(errors, []);
});

test('offer collision, impolite side: the remote offer and its candidates are ignored, our offer stands', async () => {
  const { pc, n, said, errors } = negotiator({ polite: false });
  pc.needNegotiation();
  await drain();
  await n.handle(description('offer'));
  await n.handle(candidate('for-the-ignored-offer'));
  assert.equal(pc.signalingState, 'have-local-offer');
  assert.deepEqual(pc.log, ['local offer']);
  await n.handle(description('answer'));
  await n.handle(candidate('for-our-offer'));
  assert.deepEqual(pc.added, ['for-our-offer']);
  assert.deepEqual(said(), ['offer']);
  assert.deepEqual(errors, []);
});

test('offer collision, polite side: it rolls its offer back, answers, and ignores the answer to its old offer', async () => {
  const { pc, n, said, errors, stable } = negotiator({ polite: true, politeWaitsForFirstOffer: false });
  pc.needNegotiation();
  await drain();
  assert.deepEqual(said(), ['offer']);
  await n.handle(description('offer'));
  assert.deepEqual(pc.log, ['local offer', 'rollback', 'remote offer', 'before answer', 'local answer']);
  assert.deepEqual(said(), ['offer', 'answer']);
  assert.equal(stable(), 1);
  await n.handle(description('answer')); // the other side's answer to the offer we rolled back
  assert.equal(pc.log.length, 5, 'not applied');
  assert.deepEqual(errors, []);
});

test('candidates that come before the remote description are buffered, then added in order', async () => {
  const { pc, n, said } = negotiator({ polite: true });
  await n.handle(candidate('c1'));
  await n.handle(candidate('c2'));
  assert.deepEqual(pc.added, []);
  await n.handle(description('offer'));
  assert.deepEqual(pc.added, ['c1', 'c2']);
  await n.handle(candidate('c3'));
  assert.deepEqual(pc.added, ['c1', 'c2', 'c3']);
  assert.deepEqual(said(), ['answer']);
});

test('descriptions with an ignored fingerprint (from a replaced connection) are dropped', async () => {
  const { pc, n, said, errors } = negotiator({ polite: true, ignoreFingerprints: ['sha-256 de:ad'] });
  await n.handle(description('offer', 'sha-256 DE:AD'));
  assert.deepEqual(pc.log, []);
  assert.equal(pc.remoteDescription, null);
  await n.handle(description('offer', 'sha-256 be:ef'));
  assert.deepEqual(pc.log, ['remote offer', 'before answer', 'local answer']);
  assert.deepEqual(said(), ['answer']);
  assert.deepEqual(errors, []);
});

test('the polite side waits for the first offer, then makes the offer it deferred', async () => {
  const { pc, n, said } = negotiator({ polite: true });
  pc.needNegotiation();
  await drain();
  assert.deepEqual(said(), [], 'no offer before the first remote offer');
  await n.handle(description('offer'));
  await drain();
  assert.deepEqual(said(), ['answer', 'offer']);
  assert.equal(pc.signalingState, 'have-local-offer');
});

test('local candidates are sent; the end-of-candidates event is not', () => {
  const { pc, said } = negotiator({ polite: false });
  pc.gather('candidate:1 1 udp 1 127.0.0.1 5000 typ host');
  pc.gather(null);
  assert.deepEqual(said(), ['candidate candidate:1 1 udp 1 127.0.0.1 5000 typ host']);
});

test('a failing step is reported as NEGOTIATION_FAILED and the queue goes on', async () => {
  const { pc, n, errors } = negotiator({ polite: false });
  pc.setRemoteDescription = () => Promise.reject(new DOMException('bad sdp', 'OperationError'));
  await n.handle(description('offer'));
  assert.deepEqual(
    errors.map((error) => error.code),
    ['NEGOTIATION_FAILED'],
  );
  assert.match(errors[0]?.message ?? '', /OperationError: bad sdp/);
  pc.needNegotiation();
  await drain();
  assert.deepEqual(pc.log, ['local offer']);
});

test('close() removes its listeners and stops handling anything', async () => {
  const { pc, n, said } = negotiator({ polite: false });
  assert.equal(pc.listeners, 2);
  n.close();
  assert.equal(pc.listeners, 0);
  pc.needNegotiation();
  pc.gather('candidate:1 1 udp 1 127.0.0.1 5000 typ host');
  n.requestOffer();
  await n.handle(description('offer'));
  await drain();
  assert.deepEqual(said(), []);
  assert.deepEqual(pc.log, []);
});
