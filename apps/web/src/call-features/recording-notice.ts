/**
 * The recording notice under the call's header: your own recording (a red dot, the time and the size so far)
 * and who else records the call. Hidden while nobody records.
 */
import type { RecordingProgress } from '@rendezvous/client';
import { getLanguage, t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import type { RecordingPhase } from './recording-session.js';
import { formatElapsed, formatSize } from './recording-units.js';

export interface NoticeState {
  phase: RecordingPhase;
  progress: RecordingProgress;
  /** Display names of the other members recording. */
  others: string[];
}

export interface RecordingNotice {
  render(state: NoticeState): void;
}

export function createRecordingNotice(view: HTMLElement): RecordingNotice {
  const ownText = h('span', { class: 'recording-own-text' });
  const elapsed = h('span', { class: 'recording-elapsed', testid: 'recording-elapsed' });
  const size = h('span', { class: 'recording-size', testid: 'recording-size' });
  const own = h(
    'div',
    { class: 'recording-own', testid: 'recording-indicator', hidden: true },
    h('span', { class: 'recording-dot', 'aria-hidden': 'true' }),
    ownText,
    elapsed,
    size,
  );
  const others = h('div', { class: 'recording-others', testid: 'recording-others', role: 'status', hidden: true });
  const el = h('div', { class: 'recording-notice', testid: 'recording-notice', hidden: true }, own, others);
  const header = view.querySelector('.call-header');
  if (header) {
    header.after(el);
  } else {
    view.prepend(el);
  }

  return {
    render(state) {
      own.hidden = state.phase === 'idle';
      ownText.textContent = state.phase === 'stopping' ? t('recording.stopping') : t('recording.you');
      elapsed.textContent = formatElapsed(state.progress.elapsedMs);
      size.textContent = formatSize(state.progress.bytes);
      others.hidden = state.others.length === 0;
      const names = new Intl.ListFormat(getLanguage(), { type: 'conjunction' }).format(state.others);
      others.textContent = state.others.length === 0 ? '' : t('recording.others', { names, count: state.others.length });
      el.hidden = own.hidden && others.hidden;
    },
  };
}
