/**
 * The prompt for a file offered while the Files panel is closed: a toast with Accept and Decline that goes away
 * once the offer is answered (here, in the panel, or by the sender cancelling).
 */
import type { IncomingTransfer } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { h, type Disposer } from '../ui/dom.js';
import { toast } from '../ui/toasts.js';
import { formatBytes } from './files-format.js';

/** Long enough to answer; the offer stays in the panel after the prompt fades. */
const PROMPT_MS = 60_000;

export function promptForOffer(
  offer: IncomingTransfer,
  senderName: string,
  actions: { accept(): void; decline(): void; disposer: Disposer },
): void {
  const buttons = h(
    'div',
    { class: 'file-offer-actions' },
    h('button', {
      class: 'btn btn-small btn-accept',
      type: 'button',
      testid: 'file-offer-accept',
      text: t('files.accept'),
      on: { click: () => actions.accept() },
    }),
    h('button', {
      class: 'btn btn-small btn-secondary',
      type: 'button',
      testid: 'file-offer-decline',
      text: t('files.decline'),
      on: { click: () => actions.decline() },
    }),
  );
  const message = t('files.offer', { name: senderName, file: offer.name, size: formatBytes(offer.size) });
  const el = toast(message, { extra: buttons, duration: PROMPT_MS });
  el.classList.add('file-offer-toast');
  el.dataset['testid'] = 'file-offer';
  const off = offer.on('state', (state) => {
    if (state !== 'offered') {
      el.remove();
      off();
    }
  });
  actions.disposer.add(() => {
    off();
    el.remove();
  });
}
