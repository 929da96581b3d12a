/** The language <select>: each language named in itself; switching applies at once and is remembered. */
import { getLanguage, LANGUAGE_NAMES, LANGUAGES, onLanguageChange, setLanguage, t, type Language } from '../i18n/index.js';
import { h, icon } from './dom.js';
import { icons } from './icons.js';

export interface LanguagePicker {
  el: HTMLElement;
  destroy(): void;
}

export function createLanguagePicker(testid = 'language-picker'): LanguagePicker {
  const select = h(
    'select',
    {
      class: 'language-select',
      testid,
      on: { change: () => setLanguage(select.value as Language) },
    },
    ...LANGUAGES.map((language) => h('option', { value: language, lang: language, text: LANGUAGE_NAMES[language] })),
  );
  const label = (): void => {
    select.value = getLanguage();
    select.setAttribute('aria-label', t('language.label'));
    select.title = t('language.label');
  };
  label();
  const unsubscribe = onLanguageChange(label);
  const el = h('label', { class: 'language-picker' }, icon(icons.globe, 'icon icon-small'), select);
  return { el, destroy: unsubscribe };
}
