/**
 * Display names as people type them, checked against the protocol's DisplayNameSchema before they are
 * sent, so the app explains a refused name next to the field instead of failing to join.
 */
import { DisplayNameSchema, hasForbiddenNameCharacter } from '@rendezvous/protocol';
import { t } from './i18n/index.js';

/** The longest display name, in UTF-16 code units (the schema's bound, and the inputs' maxlength). */
export const MAX_DISPLAY_NAME_LENGTH = 64;

/** What to tell a person whose typed name the server would refuse, in the current language. */
export const DISPLAY_NAME_TEXT = {
  get empty(): string {
    return t('displayName.empty');
  },
  get tooLong(): string {
    return t('displayName.tooLong', { max: MAX_DISPLAY_NAME_LENGTH });
  },
  get hidden(): string {
    return t('displayName.hidden');
  },
  get invisible(): string {
    return t('displayName.invisible');
  },
};

/** Why `name` (as typed, before trimming) cannot be used as a display name, or null when it can. */
export function displayNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (DisplayNameSchema.safeParse(trimmed).success) {
    return null;
  }
  if (trimmed.length === 0) {
    return DISPLAY_NAME_TEXT.empty;
  }
  if (hasForbiddenNameCharacter(trimmed)) {
    return DISPLAY_NAME_TEXT.hidden;
  }
  if (trimmed.length > MAX_DISPLAY_NAME_LENGTH) {
    return DISPLAY_NAME_TEXT.tooLong;
  }
  return DISPLAY_NAME_TEXT.invisible;
}

/** `name` trimmed when it is a valid display name, otherwise null. */
export function validDisplayName(name: string): string | null {
  const parsed = DisplayNameSchema.safeParse(name);
  return parsed.success ? parsed.data : null;
}
