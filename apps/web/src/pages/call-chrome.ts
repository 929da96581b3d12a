/** The call view around the grid: header (title, people count, language), reconnecting banner, "waiting for others" hint. */
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { createLanguagePicker } from '../ui/language-picker.js';

export interface CallChrome {
  header: HTMLElement;
  banner: HTMLElement;
  alone: HTMLElement;
  grid: HTMLElement;
  /** Shows how many are in the call (you included). */
  setCount(count: number): void;
  relabel(): void;
  destroy(): void;
}

export function createCallChrome(options: { title: string; onCopyInvite(): void }): CallChrome {
  let count = 1;
  const countEl = h('span', { class: 'muted call-count' });
  const picker = createLanguagePicker('call-language');
  const header = h(
    'header',
    { class: 'call-header' },
    h('div', { class: 'brand brand-small' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' })),
    h('h1', { class: 'call-title', title: options.title, text: options.title }),
    countEl,
    picker.el,
  );
  const banner = h('div', { class: 'banner', role: 'status', hidden: true, testid: 'reconnecting-banner' });
  const aloneText = h('span');
  const copy = h('button', { class: 'btn btn-small btn-secondary', type: 'button', on: { click: () => options.onCopyInvite() } });
  const alone = h('div', { class: 'alone-hint', hidden: true }, aloneText, copy);
  const grid = h('div', { class: 'grid', role: 'list' });

  function relabel(): void {
    countEl.textContent = count <= 1 ? t('call.onlyYou') : t('call.people', { count });
    banner.textContent = t('call.reconnecting');
    aloneText.textContent = t('call.alone');
    copy.textContent = t('call.copyLink');
    grid.setAttribute('aria-label', t('call.participants'));
  }
  relabel();
  return {
    header,
    banner,
    alone,
    grid,
    setCount(next) {
      count = next;
      alone.hidden = count > 1;
      relabel();
    },
    relabel,
    destroy: () => picker.destroy(),
  };
}
