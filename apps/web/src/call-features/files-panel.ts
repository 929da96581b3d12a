/**
 * The Files panel's body: whom to send to (everyone or one member), "Choose files…" (a multiple file picker), the
 * drag-and-drop hint, and the transfers list, newest first. It stays alive while the panel is closed, so the list
 * keeps following transfers.
 */
import { t } from '../i18n/index.js';
import { h, icon, type Disposer } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import type { MemberNames } from './chat-members.js';
import { createRecipientPicker, type RecipientPicker } from './chat-recipients.js';
import type { Row } from './files-rows.js';

export interface FilesPanel {
  el: HTMLElement;
  picker: RecipientPicker;
  /** Puts a row at the top of the list. */
  add(row: Row): void;
  relabel(): void;
}

export function createFilesPanel(options: {
  members: MemberNames;
  disposer: Disposer;
  onFiles(files: File[]): void;
}): FilesPanel {
  const rows: Row[] = [];
  const picker = createRecipientPicker({
    members: options.members,
    disposer: options.disposer,
    testid: 'files-recipient',
    label: () => t('files.sendTo'),
  });
  const input = h('input', { type: 'file', multiple: true, class: 'files-input', testid: 'files-input', hidden: true });
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length > 0) {
      options.onFiles(files);
    }
  });
  const chooseText = h('span');
  const choose = h(
    'button',
    {
      class: 'btn btn-primary btn-small files-choose',
      type: 'button',
      testid: 'files-choose',
      on: { click: () => input.click() },
    },
    icon(icons.paperclip),
    chooseText,
  );
  const hint = h('p', { class: 'files-hint muted' });
  const empty = h('p', { class: 'files-empty muted', testid: 'files-empty' });
  const list = h('ul', { class: 'files-list', testid: 'files-list' });
  const el = h(
    'div',
    { class: 'files-panel', testid: 'files-panel' },
    h('div', { class: 'files-send' }, picker.el, h('div', { class: 'files-send-row' }, choose, input), hint),
    empty,
    list,
  );
  return {
    el,
    picker,
    add(row) {
      rows.push(row);
      list.prepend(row.el);
      empty.hidden = true;
    },
    relabel() {
      picker.refresh();
      chooseText.textContent = t('files.choose');
      hint.textContent = t('files.dropHint');
      empty.textContent = t('files.empty');
      list.setAttribute('aria-label', t('files.list'));
      rows.forEach((row) => row.relabel());
    },
  };
}
