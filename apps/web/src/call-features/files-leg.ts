/**
 * One transfer's line (one recipient of a sent file, or a received file): who, the status or progress (percent,
 * rate, time left), a progress bar, a cancel button while it runs, and "Verified" once the receiver's SHA-256
 * matched. Progress redraws at most every PROGRESS_REDRAW_MS; state changes redraw at once.
 */
import type { TransferEvents, TransferProgress, TransferState } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { h, icon, type Disposer } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { statusText, type TransferEnd } from './files-status.js';

const PROGRESS_REDRAW_MS = 200;

/** What a line needs of an OutgoingTransfer or IncomingTransfer. */
export interface WatchedTransfer<R> {
  readonly state: TransferState;
  readonly progress: TransferProgress;
  cancel(): void;
  on<K extends keyof TransferEvents<R>>(event: K, listener: (...args: TransferEvents<R>[K]) => void): () => void;
}

export interface LegOptions {
  direction: 'out' | 'in';
  peerId: string;
  /** The other side's name now (names can change; people who left keep theirs). */
  peerName(): string;
  /** Shown before the status (the recipient, for a file sent to several people); null shows none. */
  showName: boolean;
  fileName: string;
  /** Incoming only: whether the offer was accepted. */
  accepted?(): boolean;
  disposer: Disposer;
  /** After every state change (the row adds its own buttons, the panel recounts its badge). */
  onState?(state: TransferState): void;
}

export interface Leg {
  el: HTMLElement;
  render(): void;
}

function isRunning(state: TransferState): boolean {
  return state !== 'done' && state !== 'cancelled' && state !== 'error';
}

export function createLeg<R>(transfer: WatchedTransfer<R>, options: LegOptions): Leg {
  let end: TransferEnd | null = null;
  let drawnAt = -Infinity;
  const who = h('span', { class: 'file-leg-who', hidden: !options.showName });
  const status = h('span', { class: 'file-status', testid: 'file-status' });
  const cancel = h(
    'button',
    { class: 'btn-icon file-cancel', type: 'button', testid: 'file-cancel', on: { click: () => transfer.cancel() } },
    icon(icons.close),
  );
  const bar = h('progress', { class: 'file-progress', testid: 'file-progress', max: 100, value: 0 });
  const verified = h('span', { class: 'file-verified', testid: 'file-verified', hidden: true });
  const el = h(
    'div',
    { class: 'file-leg', testid: 'file-leg', 'data-peer-id': options.peerId },
    h('div', { class: 'file-leg-line' }, who, status, verified, cancel),
    bar,
  );

  const render = (): void => {
    drawnAt = performance.now();
    const { state, progress } = transfer;
    const peerName = options.peerName();
    el.dataset['state'] = state;
    who.textContent = peerName;
    status.textContent = statusText({
      direction: options.direction,
      state,
      progress,
      peerName,
      accepted: options.accepted?.() ?? true,
      end,
    });
    status.classList.toggle('file-status-bad', state === 'error');
    const percent = state === 'done' ? 100 : Math.min(100, Math.floor(progress.percent));
    bar.value = percent;
    bar.dataset['percent'] = String(percent);
    bar.hidden = state === 'cancelled' || state === 'error' || state === 'done' || state === 'queued';
    cancel.hidden = !isRunning(state) || (options.direction === 'in' && state === 'offered');
    const cancelText = t('files.cancelFor', { file: options.fileName, name: peerName });
    cancel.setAttribute('aria-label', cancelText);
    cancel.title = cancelText;
    verified.hidden = state !== 'done';
    verified.textContent = `✓ ${t('files.verified')}`;
    verified.title = t('files.verifiedTitle');
  };
  const offs = [
    transfer.on('progress', () => {
      if (performance.now() - drawnAt >= PROGRESS_REDRAW_MS) {
        render();
      }
    }),
    transfer.on('state', (state) => {
      render();
      options.onState?.(state);
    }),
    transfer.on('cancelled', (by) => {
      end = { kind: 'cancelled', by };
      render();
    }),
    transfer.on('error', (error) => {
      end = { kind: 'error', error };
      render();
    }),
  ];
  options.disposer.add(() => offs.forEach((off) => off()));
  render();
  return { el, render };
}
