/** Copying links: the async clipboard API, then execCommand, then a toast to copy from by hand. */
import { h } from './dom.js';
import { toast } from './toasts.js';
import { t } from '../i18n/index.js';

async function writeText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused or no user activation: fall through.
  }
  const area = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
  area.value = text;
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** Copies `text` and says so in a toast; when copying is impossible, the toast holds the text to copy. */
export async function copyWithToast(text: string, what = t('clipboard.link')): Promise<void> {
  if (await writeText(text)) {
    toast(t('clipboard.copied', { what }), { kind: 'success' });
    return;
  }
  const field = h('input', { class: 'toast-copy-field', readonly: true, 'aria-label': what });
  field.value = text;
  toast(t('clipboard.copyBelow', { what: what.toLocaleLowerCase() }), { extra: field, duration: 15000 });
  field.focus();
  field.select();
}
