/** A centered card with a title, a message and a few actions: "You left", "Room is full", errors. */
import { h, type Child } from './dom.js';

export interface ScreenAction {
  label: string;
  onClick: () => void;
  primary?: boolean;
  testid?: string;
}

export function messageScreen(options: {
  title: string;
  text?: string;
  actions?: ScreenAction[];
  testid?: string;
  extra?: Child;
}): HTMLElement {
  const buttons = (options.actions ?? []).map((action) =>
    h('button', {
      class: `btn ${action.primary ? 'btn-primary' : 'btn-secondary'}`,
      type: 'button',
      text: action.label,
      testid: action.testid,
      on: { click: action.onClick },
    }),
  );
  const el = h(
    'main',
    { class: 'page centered', testid: options.testid },
    h(
      'section',
      { class: 'card message-card', role: 'status' },
      h('h1', { text: options.title, tabindex: -1 }),
      options.text ? h('p', { class: 'muted', text: options.text }) : null,
      options.extra,
      buttons.length ? h('div', { class: 'actions' }, ...buttons) : null,
    ),
  );
  // Move focus to the heading so screen readers announce the new screen, then the first action is one Tab away.
  queueMicrotask(() => el.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true }));
  return el;
}
