/** The pre-join notice explaining why the camera or microphone could not be opened, with "Try again" where it may help. */
import { describeError, errorCode, lowerFirst } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { append, h } from '../ui/dom.js';

/**
 * Fills `notice` for `error` (or hides it when there is none). `partial`: something did open; `hasVideo`
 * says which part (the camera when true), so the title names the part that failed.
 */
export function showDeviceProblem(
  notice: HTMLElement,
  error: unknown,
  options: { partial: boolean; hasVideo: boolean; onRetry: () => void },
): void {
  if (!error) {
    notice.hidden = true;
    return;
  }
  const text = describeError(error);
  const code = errorCode(error);
  const problem = lowerFirst(text.title);
  const title = options.partial
    ? options.hasVideo
      ? t('prejoin.micProblem', { problem })
      : t('prejoin.cameraProblem', { problem })
    : text.title;
  const retry =
    code === 'INSECURE_CONTEXT' || code === 'UNSUPPORTED_BROWSER'
      ? null
      : h('button', {
          class: 'btn btn-small btn-secondary',
          type: 'button',
          text: t('common.tryAgain'),
          on: { click: options.onRetry },
        });
  notice.replaceChildren();
  append(
    notice,
    h('strong', { text: title }),
    h('p', { text: text.detail }),
    h('p', { class: 'muted', text: options.partial ? t('prejoin.joinWithWhatWorks') : t('prejoin.joinAnyway') }),
    retry,
  );
  notice.dataset['code'] = code ?? '';
  notice.hidden = false;
}
