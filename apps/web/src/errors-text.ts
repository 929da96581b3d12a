/** What to tell a person about an error, by its stable code (see @rendezvous/protocol's catalog), in the current language. */
import { ERROR_CATALOG, RendezvousError, isErrorCode, type ErrorCode } from '@rendezvous/protocol';
import { getLanguage, t, type MessageKey } from './i18n/index.js';

export interface ErrorText {
  code: ErrorCode | null;
  title: string;
  detail: string;
}

/** The codes the app explains in its own words (title and detail keys in the catalogs). */
const EXPLAINED = [
  'PERMISSION_DENIED',
  'NO_DEVICE',
  'DEVICE_IN_USE',
  'CONSTRAINT_NOT_SATISFIED',
  'INSECURE_CONTEXT',
  'UNSUPPORTED_BROWSER',
  'SIGNALING_UNREACHABLE',
  'SIGNALING_CLOSED',
  'PROTOCOL_VERSION',
  'UNAUTHORIZED',
  'ROOM_FULL',
  'ROOM_LIMIT',
  'ALREADY_IN_ROOM',
  'PEER_NOT_FOUND',
  'CALL_SELF',
  'ALREADY_IN_CALL',
  'TIMEOUT',
  'CONNECTION_FAILED',
  'NEGOTIATION_FAILED',
  'SERVER_SHUTTING_DOWN',
] as const satisfies readonly ErrorCode[];
type Explained = (typeof EXPLAINED)[number];

const isExplained = (code: ErrorCode): code is Explained => (EXPLAINED as readonly string[]).includes(code);

/** The error's stable code when it has one (RendezvousError or anything shaped like it). */
export function errorCode(error: unknown): ErrorCode | null {
  if (typeof error === 'object' && error !== null && 'code' in error && isErrorCode(error.code)) {
    return error.code;
  }
  return null;
}

export function describeError(error: unknown): ErrorText {
  const code = errorCode(error);
  if (code !== null && isExplained(code)) {
    return { code, title: t(`error.${code}.title` satisfies MessageKey), detail: t(`error.${code}.detail` satisfies MessageKey) };
  }
  if (code !== null) {
    // The protocol's catalog speaks English; other languages name the code instead.
    const title = getLanguage() === 'en' ? ERROR_CATALOG[code].message : t('error.withCode', { code });
    return { code, title, detail: messageOf(error) };
  }
  return { code: null, title: t('error.generic'), detail: messageOf(error) };
}

/** "Could not join: {problem}"-style sentences want the title mid-sentence: lower-case its first letter (English only). */
export function lowerFirst(text: string): string {
  return getLanguage() === 'en' ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** "Title. Detail." as one line. */
export function problemLine(error: unknown): string {
  const text = describeError(error);
  return t('common.problemLine', { title: text.title, detail: text.detail });
}

/**
 * The title of the "room is full" screen: "This room is full (6 of 6)" from the error's structured `detail`
 * (`{ size, capacity }`), or just "This room is full" when the error carries none.
 */
export function roomFullTitle(error: unknown): string {
  const detail = error instanceof RendezvousError ? error.detail : undefined;
  const size = detail?.['size'];
  const capacity = detail?.['capacity'];
  return typeof size === 'number' && typeof capacity === 'number'
    ? t('room.fullTitleCounts', { size, capacity })
    : t('room.fullTitle');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
