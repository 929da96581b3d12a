/**
 * The pairing codes: why a pasted or scanned blob was refused. Each error is a RendezvousError with one of these
 * codes and `detail.reason` (a finer, stable word the UI may use), never a silent failure.
 */
import { RendezvousError, type ErrorDetail } from '@rendezvous/protocol';

export const PAIRING_ERROR_CODES = [
  'PAIRING_MALFORMED',
  'PAIRING_TRUNCATED',
  'PAIRING_STALE',
  'PAIRING_WRONG_KIND',
  'PAIRING_MISMATCH',
] as const;

export type PairingErrorCode = (typeof PAIRING_ERROR_CODES)[number];

/** A pairing error: a RendezvousError with one of PAIRING_ERROR_CODES and `detail.reason`. */
export class PairingError extends RendezvousError {
  constructor(code: PairingErrorCode, detail: ErrorDetail) {
    super(code, undefined, { detail });
  }
}

export function pairingError(code: PairingErrorCode, reason: string, extra: ErrorDetail = {}): PairingError {
  return new PairingError(code, { reason, ...extra });
}

/** The pairing code of `error` (a RendezvousError with one of PAIRING_ERROR_CODES), else null. */
export function pairingErrorCode(error: unknown): PairingErrorCode | null {
  const code: unknown = error instanceof RendezvousError ? error.code : null;
  return PAIRING_ERROR_CODES.find((known) => known === code) ?? null;
}
