import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidatePathFromStats, type StatsEntry } from './candidate-path.js';

const candidates: StatsEntry[] = [
  { id: 'L1', type: 'local-candidate', candidateType: 'host' },
  { id: 'L2', type: 'local-candidate', candidateType: 'relay' },
  { id: 'L3', type: 'local-candidate', candidateType: 'srflx' },
  { id: 'R1', type: 'remote-candidate', candidateType: 'host' },
  { id: 'R2', type: 'remote-candidate', candidateType: 'relay' },
  { id: 'R3', type: 'remote-candidate', candidateType: 'prflx' },
];

test('Chromium: the transport names the selected pair', () => {
  const stats: StatsEntry[] = [
    ...candidates,
    { id: 'P1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', nominated: true, state: 'succeeded' },
    { id: 'P2', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R1', state: 'succeeded' },
    { id: 'T', type: 'transport', selectedCandidatePairId: 'P2' },
  ];
  assert.equal(candidatePathFromStats(stats), 'relay');
});

test('Firefox: the pair flagged selected', () => {
  const stats: StatsEntry[] = [
    ...candidates,
    { id: 'P1', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R1', selected: false },
    { id: 'P2', type: 'candidate-pair', localCandidateId: 'L3', remoteCandidateId: 'R3', selected: true },
  ];
  assert.equal(candidatePathFromStats(stats), 'srflx');
});

test('a relayed remote end counts as relay; no pair is unknown', () => {
  const stats: StatsEntry[] = [
    ...candidates,
    { id: 'P', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R2', nominated: true, state: 'succeeded' },
  ];
  assert.equal(candidatePathFromStats(stats), 'relay');
  assert.equal(candidatePathFromStats(candidates), 'unknown');
});
