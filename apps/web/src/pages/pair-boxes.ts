/**
 * The two boxes of /pair: one shows a blob this side made (read-only text, Copy, its length and a QR code), the
 * other takes the blob the other side made (paste or scan, then one action button, and the error under it).
 */
import { t } from '../i18n/index.js';
import { copyWithToast } from '../ui/clipboard.js';
import { h, icon, type Disposer } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { pairProblem } from './pair-text.js';
import { drawQr } from './pair-qr.js';
import { canScan, startScan } from './pair-scan.js';

const QR_SIZE = 260;

export interface OutBox {
  el: HTMLElement;
  show(text: string): void;
}

/** `testid` names the text area; the copy button and the QR code are `${testid}-copy` and `${testid}-qr`. */
export function outBox(testid: string, title: string, hint: string): OutBox {
  const area = h('textarea', {
    class: 'input pair-blob',
    testid,
    readonly: true,
    rows: 4,
    spellcheck: 'false',
    'aria-label': title,
  });
  const count = h('span', { class: 'muted pair-count', testid: `${testid}-count` });
  const copy = h(
    'button',
    {
      class: 'btn btn-secondary btn-small',
      type: 'button',
      testid: `${testid}-copy`,
      'aria-label': t('pair.copyAria', { what: title }),
      on: { click: () => void copyWithToast(area.value, title) },
    },
    icon(icons.copy, 'icon icon-small'),
    t('pair.copy'),
  );
  const canvas = h('canvas', {
    class: 'pair-qr',
    testid: `${testid}-qr`,
    role: 'img',
    'aria-label': t('pair.qrLabel', { what: title }),
  });
  const qrNote = h('p', { class: 'muted pair-qr-note', hidden: true, text: t('pair.qrTooLong') });
  const el = h(
    'section',
    { class: 'card pair-box', hidden: true },
    h('h2', { class: 'pair-box-title', text: title }),
    h('p', { class: 'muted', text: hint }),
    h(
      'div',
      { class: 'pair-out' },
      h('div', { class: 'pair-out-text' }, area, h('div', { class: 'pair-row' }, copy, count)),
      canvas,
      qrNote,
    ),
  );
  area.addEventListener('focus', () => area.select());
  return {
    el,
    show(text) {
      area.value = text;
      count.textContent = t('pair.chars', { count: text.length });
      el.hidden = false;
      void drawQr(canvas, text, QR_SIZE).then((drawn) => {
        canvas.hidden = !drawn;
        qrNote.hidden = drawn;
      });
    },
  };
}

export interface InBoxOptions {
  /** `offer` in the joiner's box, `answer` in the inviter's. */
  expect: 'offer' | 'answer';
  testid: string;
  title: string;
  hint: string;
  placeholder: string;
  action: string;
  disposer: Disposer;
  /** Uses the pasted text; a rejection is shown under the box (by code). */
  submit(text: string): Promise<void>;
}

export interface InBox {
  el: HTMLElement;
  /** Locks the box (after success). */
  done(): void;
}

/** The error line under a box: `pair-error`, with the code in `data-code`. */
function errorLine(): { el: HTMLElement; show(code: string | null, text: string): void; clear(): void } {
  const el = h('p', { class: 'field-error', testid: 'pair-error', role: 'alert' });
  return {
    el,
    show(code, text) {
      el.dataset['code'] = code ?? '';
      el.textContent = text;
    },
    clear() {
      delete el.dataset['code'];
      el.textContent = '';
    },
  };
}

export function inBox(options: InBoxOptions): InBox {
  const area = h('textarea', {
    class: 'input pair-blob',
    testid: options.testid,
    rows: 4,
    spellcheck: 'false',
    autocomplete: 'off',
    placeholder: options.placeholder,
    'aria-label': options.title,
  });
  const error = errorLine();
  const action = h('button', {
    class: 'btn btn-primary',
    type: 'button',
    testid: `${options.testid}-submit`,
    text: options.action,
  });
  const scanner = scanControls(
    options.disposer,
    (text) => {
      area.value = text;
      void run();
    },
    error,
  );
  let busy = false;
  const run = async (): Promise<void> => {
    if (busy) {
      return;
    }
    busy = true;
    action.disabled = true;
    error.clear();
    area.setAttribute('aria-invalid', 'false');
    try {
      await options.submit(area.value);
    } catch (failure) {
      const problem = pairProblem(failure, options.expect);
      error.show(problem.code, problem.text);
      area.setAttribute('aria-invalid', 'true');
      action.disabled = false;
    } finally {
      busy = false;
    }
  };
  action.addEventListener('click', () => void run());
  const el = h(
    'section',
    { class: 'card pair-box' },
    h('h2', { class: 'pair-box-title', text: options.title }),
    h('p', { class: 'muted', text: options.hint }),
    area,
    h('div', { class: 'pair-row' }, action, scanner.button),
    scanner.view,
    error.el,
  );
  return {
    el,
    done() {
      area.readOnly = true;
      action.disabled = true;
      scanner.button.disabled = true;
    },
  };
}

function scanControls(
  disposer: Disposer,
  onText: (text: string) => void,
  error: ReturnType<typeof errorLine>,
): { button: HTMLButtonElement; view: HTMLElement } {
  const video = h('video', { class: 'pair-scan-video', testid: 'pair-scan-video' });
  const view = h('div', { class: 'pair-scan', hidden: true }, video, h('p', { class: 'muted', text: t('pair.scanning') }));
  const button = h('button', { class: 'btn btn-secondary', type: 'button', testid: 'pair-scan', hidden: !canScan() });
  let stop: (() => void) | null = null;
  const label = (): void => {
    button.replaceChildren(icon(icons.camera, 'icon icon-small'), t(stop === null ? 'pair.scan' : 'pair.scanStop'));
  };
  const end = (): void => {
    stop?.();
    stop = null;
    view.hidden = true;
    label();
  };
  button.addEventListener('click', () => {
    if (stop !== null) {
      return end();
    }
    view.hidden = false;
    startScan(video, (text) => {
      stop = null;
      end();
      onText(text);
    }).then(
      (stopFn) => {
        stop = stopFn;
        label();
      },
      () => {
        view.hidden = true;
        error.show(null, t('pair.scanFailed'));
      },
    );
  });
  disposer.add(end);
  label();
  return { button, view };
}
