import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RendezvousError } from '@rendezvous/protocol';
import { missingMediaDevicesError, toMediaError, type MediaEnvironment } from './media-errors.js';

const browser: MediaEnvironment = { hasMediaDevices: true, isSecureContext: true };
const dom = (name: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(`${name} happened`), { name, ...extra });

test('DOMException names map to stable codes', () => {
  const cases: [Error, string][] = [
    [dom('NotAllowedError'), 'PERMISSION_DENIED'],
    [dom('SecurityError'), 'PERMISSION_DENIED'],
    [dom('NotFoundError'), 'NO_DEVICE'],
    [dom('OverconstrainedError', { constraint: '' }), 'NO_DEVICE'],
    [dom('OverconstrainedError'), 'NO_DEVICE'],
    [dom('OverconstrainedError', { constraint: 'deviceId' }), 'CONSTRAINT_NOT_SATISFIED'],
    [dom('NotReadableError'), 'DEVICE_IN_USE'],
    [dom('AbortError'), 'DEVICE_IN_USE'],
    [dom('NotSupportedError'), 'UNSUPPORTED_BROWSER'],
  ];
  for (const [error, code] of cases) {
    const mapped = toMediaError(error, browser);
    assert.ok(mapped instanceof RendezvousError);
    assert.equal(mapped.code, code, `${error.name} -> ${code}`);
    assert.equal(mapped.cause, error);
  }
  assert.match(toMediaError(dom('OverconstrainedError', { constraint: 'width' }), browser).message, /constraint: width/);
});

test('no mediaDevices: insecure context or unsupported browser', () => {
  assert.equal(toMediaError(dom('TypeError'), { hasMediaDevices: false, isSecureContext: false }).code, 'INSECURE_CONTEXT');
  assert.equal(toMediaError(dom('TypeError'), { hasMediaDevices: false, isSecureContext: true }).code, 'UNSUPPORTED_BROWSER');
  assert.equal(missingMediaDevicesError(browser), null);
});

test('a RendezvousError passes through', () => {
  const error = new RendezvousError('NO_DEVICE');
  assert.equal(toMediaError(error, browser), error);
});
