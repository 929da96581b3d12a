/** The languages the app speaks, and which one a browser's preferences ask for. */

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in that language, for the picker. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * Maps one BCP 47 tag to a language we have: any Chinese in Simplified script or a region that writes it
 * (zh, zh-CN, zh-Hans, zh-SG, zh-Hans-HK) to zh-CN; Traditional Chinese (zh-TW, zh-HK, zh-Hant) and
 * everything else to null, so the next preference is tried.
 */
export function matchLanguage(tag: string): Language | null {
  const parts = tag.toLowerCase().replace(/_/g, '-').split('-');
  if (parts[0] === 'en') {
    return 'en';
  }
  if (parts[0] !== 'zh') {
    return null;
  }
  const rest = parts.slice(1);
  if (rest.includes('hans')) {
    return 'zh-CN';
  }
  if (rest.includes('hant') || rest.includes('tw') || rest.includes('hk') || rest.includes('mo')) {
    return null;
  }
  return 'zh-CN';
}

/** The first of the browser's preferred languages we speak; English when none is. */
export function detectLanguage(preferences: readonly string[]): Language {
  for (const tag of preferences) {
    const match = matchLanguage(tag);
    if (match) {
      return match;
    }
  }
  return 'en';
}

/** The browser's preferences (navigator.languages, else navigator.language); empty outside a browser. */
export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') {
    return [];
  }
  const preferred: readonly string[] | undefined = navigator.languages;
  if (preferred !== undefined && preferred.length > 0) {
    return preferred;
  }
  return typeof navigator.language === 'string' ? [navigator.language] : [];
}
