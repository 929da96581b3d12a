/** Full-screen "incoming call" overlay: caller's name, Accept and Reject, focus trapped inside. */
import { h, icon, initials } from './dom.js';
import { icons } from './icons.js';
import { pageTitle, t } from '../i18n/index.js';

export interface IncomingOverlay {
  el: HTMLElement;
  /** Shows progress after Accept (opening the camera, connecting). */
  setBusy(text: string): void;
  close(): void;
}

/** Keeps Tab inside the dialog (among its enabled buttons); Escape calls `onEscape`. */
function trapFocus(el: HTMLElement, onEscape: () => void): void {
  el.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onEscape();
    } else if (event.key === 'Tab') {
      const buttons = [...el.querySelectorAll<HTMLButtonElement>('button:not([disabled])')];
      if (buttons.length === 0) {
        return event.preventDefault();
      }
      const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
      const next = event.shiftKey ? index - 1 : index + 1;
      event.preventDefault();
      buttons[(next + buttons.length) % buttons.length]?.focus();
    }
  });
}

export function showIncomingCall(options: { callerName: string; onAccept(): void; onReject(): void }): IncomingOverlay {
  const previousFocus = document.activeElement as HTMLElement | null;
  const previousTitle = document.title;
  const status = h('p', { class: 'muted incoming-status', role: 'status' });
  const accept = h(
    'button',
    {
      class: 'btn btn-accept btn-large',
      type: 'button',
      testid: 'incoming-accept',
      'aria-label': t('incoming.acceptAria', { name: options.callerName }),
      on: { click: () => options.onAccept() },
    },
    icon(icons.phone),
    t('incoming.accept'),
  );
  const reject = h(
    'button',
    {
      class: 'btn btn-reject btn-large',
      type: 'button',
      testid: 'incoming-reject',
      'aria-label': t('incoming.rejectAria', { name: options.callerName }),
      on: { click: () => options.onReject() },
    },
    icon(icons.phoneOff),
    t('incoming.reject'),
  );
  const el = h(
    'div',
    {
      class: 'overlay',
      testid: 'incoming-call',
      role: 'alertdialog',
      'aria-modal': 'true',
      'aria-labelledby': 'incoming-title',
      'aria-describedby': 'incoming-desc',
    },
    h(
      'div',
      { class: 'card incoming-card' },
      h('div', { class: 'incoming-avatar ringing', 'aria-hidden': 'true', text: initials(options.callerName) }),
      h('p', { id: 'incoming-desc', class: 'eyebrow', text: t('incoming.title') }),
      h('h2', { id: 'incoming-title', class: 'incoming-name', text: options.callerName }),
      status,
      h('div', { class: 'actions' }, reject, accept),
    ),
  );

  trapFocus(el, () => options.onReject());

  document.body.appendChild(el);
  document.title = pageTitle(t('incoming.docTitle', { name: options.callerName }));
  accept.focus();

  return {
    el,
    setBusy(text) {
      status.textContent = text;
      accept.disabled = true;
      reject.disabled = true;
    },
    close() {
      if (!el.isConnected) {
        return;
      }
      el.remove();
      document.title = previousTitle;
      if (previousFocus?.isConnected) {
        previousFocus.focus();
      }
    },
  };
}
