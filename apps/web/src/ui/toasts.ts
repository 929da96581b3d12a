/** Short notices in a corner: joins, leaves, copied links, errors. Survive page changes. */
import { h } from './dom.js';
import { t } from '../i18n/index.js';

export type ToastKind = 'info' | 'success' | 'error';

let region: HTMLElement | null = null;

function container(): HTMLElement {
  if (region?.isConnected) {
    region.setAttribute('aria-label', t('toast.region'));
    return region;
  }
  region = h('div', { class: 'toasts', role: 'region', 'aria-label': t('toast.region') });
  document.body.appendChild(region);
  return region;
}

export interface ToastOptions {
  kind?: ToastKind;
  /** Milliseconds before it fades; errors stay a little longer by default. */
  duration?: number;
  /** Extra content under the message, such as a selectable link. */
  extra?: Node;
}

export function toast(message: string, options: ToastOptions = {}): HTMLElement {
  const kind = options.kind ?? 'info';
  const el = h(
    'div',
    {
      class: `toast toast-${kind}`,
      testid: 'toast',
      'data-kind': kind,
      role: kind === 'error' ? 'alert' : 'status',
    },
    h('span', { class: 'toast-message', text: message }),
    options.extra,
  );
  const close = h('button', {
    class: 'toast-close',
    type: 'button',
    'aria-label': t('toast.dismiss'),
    on: { click: () => dismiss() },
  });
  el.appendChild(close);
  const list = container();
  list.appendChild(el);
  // Keep the stack short.
  while (list.children.length > 4) {
    list.firstElementChild?.remove();
  }

  const timer = window.setTimeout(() => dismiss(), options.duration ?? (kind === 'error' ? 7000 : 3500));
  function dismiss(): void {
    window.clearTimeout(timer);
    el.classList.add('toast-leaving');
    window.setTimeout(() => el.remove(), 200);
  }
  return el;
}
