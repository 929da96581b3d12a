/**
 * /pair: two people connect with no server. One creates an invitation (a blob, as text and QR code), the other
 * pastes or scans it and sends back an answer; the first pastes the answer. Then chat, files and, optionally,
 * camera, straight between the two browsers: nothing here calls /ws or /api, so the server may stop once the page
 * has loaded. See the SDK's PairingSession and pair-flow.ts.
 */
import { onLanguageChange, pageTitle, t } from '../i18n/index.js';
import type { Page } from '../router.js';
import { h } from '../ui/dom.js';
import { createLanguagePicker } from '../ui/language-picker.js';
import { PairFlow } from './pair-flow.js';
import './pair.css';

export const pairPage: Page = (root) => {
  const picker = createLanguagePicker();
  const flow = new PairFlow();
  const heading = h('h1');
  const lede = h('p', { class: 'lede' });
  const relabel = (): void => {
    document.title = pageTitle(t('pair.page'));
    heading.textContent = t('pair.title');
    lede.textContent = t('pair.lede');
    flow.render();
  };
  root.append(
    h(
      'main',
      { class: 'page pair', testid: 'pair-page' },
      h(
        'div',
        { class: 'landing-top' },
        h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Rendezvous'),
        picker.el,
      ),
      heading,
      lede,
      h('div', { class: 'pair-row' }, flow.status, flow.startOverButton),
      flow.body,
    ),
  );
  relabel();
  const unsubscribe = onLanguageChange(relabel);
  return () => {
    unsubscribe();
    picker.destroy();
    flow.dispose();
  };
};
