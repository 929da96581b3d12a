/** The call view's side panel: one feature's content at a time, with a title and a close button. */
import { t } from '../i18n/index.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import type { PanelHost } from './context.js';

export function createPanelHost(): PanelHost & { el: HTMLElement; relabel(): void } {
  const titleEl = h('h2', { class: 'panel-title' });
  const closeButton = h('button', { class: 'panel-close', type: 'button', testid: 'panel-close' }, icon(icons.close));
  const body = h('div', { class: 'panel-body' });
  const el = h(
    'aside',
    { class: 'call-panel', hidden: true, testid: 'call-panel' },
    h('div', { class: 'panel-head' }, titleEl, closeButton),
    body,
  );
  const listeners = new Set<(openId: string | null) => void>();
  let openId: string | null = null;

  const changed = (): void => {
    el.hidden = openId === null;
    el.dataset['panel'] = openId ?? '';
    for (const listener of [...listeners]) {
      listener(openId);
    }
  };
  const host = {
    el,
    open(id: string, title: string, content: HTMLElement): void {
      openId = id;
      titleEl.textContent = title;
      body.replaceChildren(content);
      changed();
    },
    close(id?: string): void {
      if (openId === null || (id !== undefined && id !== openId)) {
        return;
      }
      openId = null;
      body.replaceChildren();
      changed();
    },
    isOpen: (id: string): boolean => openId === id,
    onChange(listener: (id: string | null) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    retitle(id: string, title: string): void {
      if (openId === id) {
        titleEl.textContent = title;
      }
    },
    relabel(): void {
      closeButton.setAttribute('aria-label', t('panel.close'));
      closeButton.title = t('panel.close');
    },
  };
  closeButton.addEventListener('click', () => host.close());
  host.relabel();
  return host;
}
