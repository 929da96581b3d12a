import { RendezvousError, type ErrorCode } from '@rendezvous/protocol';

/** What `toMediaError` needs to know about the page; injectable so the mapping is testable outside a browser. */
export interface MediaEnvironment {
  hasMediaDevices: boolean;
  isSecureContext: boolean;
}

export function currentMediaEnvironment(): MediaEnvironment {
  const nav = (globalThis as { navigator?: { mediaDevices?: { getUserMedia?: unknown } } }).navigator;
  return {
    hasMediaDevices: typeof nav?.mediaDevices?.getUserMedia === 'function',
    isSecureContext: (globalThis as { isSecureContext?: boolean }).isSecureContext !== false,
  };
}

/** The error to raise when `navigator.mediaDevices` is missing, or null when it is there. */
export function missingMediaDevicesError(env: MediaEnvironment = currentMediaEnvironment()): RendezvousError | null {
  if (env.hasMediaDevices) {
    return null;
  }
  if (!env.isSecureContext) {
    return new RendezvousError('INSECURE_CONTEXT');
  }
  return new RendezvousError(
    'UNSUPPORTED_BROWSER',
    'This browser cannot capture camera or microphone (navigator.mediaDevices is missing).',
  );
}

const NAME_TO_CODE: Readonly<Record<string, ErrorCode>> = {
  NotAllowedError: 'PERMISSION_DENIED',
  PermissionDeniedError: 'PERMISSION_DENIED',
  SecurityError: 'PERMISSION_DENIED',
  NotFoundError: 'NO_DEVICE',
  DevicesNotFoundError: 'NO_DEVICE',
  NotReadableError: 'DEVICE_IN_USE',
  TrackStartError: 'DEVICE_IN_USE',
  AbortError: 'DEVICE_IN_USE',
  OverconstrainedError: 'CONSTRAINT_NOT_SATISFIED',
  ConstraintNotSatisfiedError: 'CONSTRAINT_NOT_SATISFIED',
  NotSupportedError: 'UNSUPPORTED_BROWSER',
  TypeError: 'UNSUPPORTED_BROWSER',
};

/**
 * Maps an error from getUserMedia/getDisplayMedia (usually a DOMException) to a RendezvousError.
 * An OverconstrainedError that names no constraint means "no device at all" (some browsers say so).
 */
export function toMediaError(error: unknown, env: MediaEnvironment = currentMediaEnvironment()): RendezvousError {
  if (error instanceof RendezvousError) {
    return error;
  }
  const missing = missingMediaDevicesError(env);
  if (missing !== null) {
    return missing;
  }
  const name = errorName(error);
  const detail = errorMessage(error);
  let code: ErrorCode = NAME_TO_CODE[name] ?? 'UNSUPPORTED_BROWSER';
  if (name === 'OverconstrainedError' || name === 'ConstraintNotSatisfiedError') {
    const constraint = (error as { constraint?: unknown }).constraint;
    if (typeof constraint !== 'string' || constraint === '') {
      code = 'NO_DEVICE';
    }
  }
  if (name === 'TypeError' && detail !== '' && /constraint/i.test(detail)) {
    code = 'CONSTRAINT_NOT_SATISFIED';
  }
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  const suffix = typeof constraint === 'string' && constraint !== '' ? ` (constraint: ${constraint})` : '';
  const base = new RendezvousError(code).message;
  return new RendezvousError(code, detail === '' ? `${base}${suffix}` : `${base}${suffix} [${name}: ${detail}]`, {
    cause: error,
  });
}

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string') {
    return (error as { name: string }).name;
  }
  return '';
}

function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return typeof error === 'string' ? error : '';
}
