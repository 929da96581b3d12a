/**
 * "Send to": everyone, or one member present. Used by the chat composer and by file sending. When the chosen
 * member leaves, the picker goes back to everyone.
 */
import { t } from '../i18n/index.js';
import { h, type Disposer } from '../ui/dom.js';
import type { MemberNames } from './chat-members.js';

export interface RecipientPicker {
  el: HTMLElement;
  select: HTMLSelectElement;
  /** The chosen member's peer id, or undefined for everyone. */
  value(): string | undefined;
  /** The chosen member's name, or "Everyone" in the current language. */
  targetName(): string;
  /** Re-lists the members and re-applies the words. */
  refresh(): void;
}

export interface RecipientPickerOptions {
  members: MemberNames;
  disposer: Disposer;
  testid: string;
  label: () => string;
  onChange?: () => void;
}

export function createRecipientPicker(options: RecipientPickerOptions): RecipientPicker {
  const select = h('select', { class: 'recipient-select', testid: options.testid });
  const labelText = h('span', { class: 'recipient-label' });
  const el = h('label', { class: 'recipient-picker' }, labelText, select);

  const refresh = (): void => {
    const chosen = select.value;
    const everyone = h('option', { value: '', text: t('chat.everyone') });
    const people = options.members.present().map(({ peerId, name }) => h('option', { value: peerId, text: name }));
    select.replaceChildren(everyone, ...people);
    select.value = people.some((option) => option.value === chosen) ? chosen : '';
    labelText.textContent = options.label();
    if (select.value !== chosen) {
      options.onChange?.();
    }
  };
  select.addEventListener('change', () => options.onChange?.());
  options.disposer.add(options.members.onChange(refresh));
  refresh();
  return {
    el,
    select,
    value: () => (select.value === '' ? undefined : select.value),
    targetName: () => (select.value === '' ? t('chat.everyone') : (options.members.name(select.value) ?? t('chat.everyone'))),
    refresh,
  };
}
