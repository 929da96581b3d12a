/**
 * The app's words in the current language: `t(key, params)` with `{name}` interpolation and plural forms,
 * the current language (the remembered choice, else the browser's preferences), switching it (which
 * updates <html lang> and tells listeners), and Intl formatting in that language.
 */
import { readStored, writeStored } from '../storage.js';
import type { Catalog, MessageKey, ParamsArg, ParamValue } from './catalog.js';
import { en } from './en.js';
import { browserLanguages, detectLanguage, isLanguage, type Language } from './language.js';
import { zhCN } from './zh-CN.js';

export type { Catalog, MessageKey, PlainKey } from './catalog.js';
export { detectLanguage, LANGUAGE_NAMES, LANGUAGES, matchLanguage, type Language } from './language.js';

export const CATALOGS: Record<Language, Catalog> = { en, 'zh-CN': zhCN };

const STORAGE_KEY = 'language';

/** The remembered choice when there is one, else what the browser asks for. */
export function initialLanguage(): Language {
  const stored = readStored(STORAGE_KEY);
  return isLanguage(stored) ? stored : detectLanguage(browserLanguages());
}

let current: Language = initialLanguage();
const listeners = new Set<(language: Language) => void>();

export function getLanguage(): Language {
  return current;
}

function applyToDocument(): void {
  if (typeof document !== 'undefined') {
    document.documentElement.lang = current;
  }
}
applyToDocument();

/** Switches the language, remembers the choice and tells every listener (which re-label what they show). */
export function setLanguage(language: Language): void {
  writeStored(STORAGE_KEY, language);
  if (language === current) {
    return;
  }
  current = language;
  applyToDocument();
  for (const listener of [...listeners]) {
    try {
      listener(language);
    } catch (error) {
      console.error('language listener failed', error);
    }
  }
}

/** Calls `listener` after every language switch; returns the unsubscribe. */
export function onLanguageChange(listener: (language: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Replaces each `{name}` with its parameter; an unknown placeholder stays as written. */
export function interpolate(text: string, params: Partial<Record<string, ParamValue>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** The message for `key` in `language` (plural forms picked by `count`), before interpolation. */
export function messageText(language: Language, key: MessageKey, count?: number): string {
  const message = CATALOGS[language][key] ?? en[key];
  if (typeof message === 'string') {
    return message;
  }
  const category = new Intl.PluralRules(language).select(count ?? 0);
  return message[category] ?? message.other;
}

/** The message for `key` in the current language with its parameters filled in. */
export function t<K extends MessageKey>(key: K, ...args: ParamsArg<K>): string {
  const params = (args[0] ?? {}) as Partial<Record<string, ParamValue>>;
  const count = params['count'];
  return interpolate(messageText(current, key, typeof count === 'number' ? count : undefined), params);
}

/**
 * The message as DOM pieces, so a parameter can be an element (a <code> around an id):
 * tNodes('oneone.aboutToCall', { id: codeElement }) -> ['You are about to call ', codeElement, '.'].
 */
export function tNodes(key: MessageKey, nodes: Record<string, Node>): (string | Node)[] {
  const text = messageText(current, key);
  const parts: (string | Node)[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    const node = nodes[match[1] ?? ''];
    if (!node) {
      continue;
    }
    parts.push(text.slice(last, match.index), node);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts.filter((part) => part !== '');
}

/** "{page} · Rendezvous" for document.title. */
export function pageTitle(page: string): string {
  return t('app.docTitle', { page });
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(current, options).format(value);
}

/** A clock time ("14:05" / "下午2:05"), for messages and events. */
export function formatTime(date: Date | number): string {
  return new Intl.DateTimeFormat(current, { hour: 'numeric', minute: '2-digit' }).format(date);
}

/** A duration in the current language: "120 ms", "1.5 s" / "1.5秒". */
export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return formatNumber(Math.round(ms), { style: 'unit', unit: 'millisecond', unitDisplay: 'short' });
  }
  return formatNumber(ms / 1000, { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: 1 });
}

/** For tests: forget listeners and go back to the initial language without remembering anything. */
export function resetLanguageForTests(language: Language = 'en'): void {
  current = language;
  listeners.clear();
}
