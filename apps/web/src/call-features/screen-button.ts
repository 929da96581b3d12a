/** The share-screen button: starts sharing (asking for system or tab audio too), stops it when pressed again. */
import type { LocalMedia } from '@rendezvous/client';
import { describeError, errorCode, lowerFirst } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { toast } from '../ui/toasts.js';

export interface ScreenButton {
  el: HTMLButtonElement;
  /** Re-reads whether this client shares and re-applies the words. */
  update(): void;
}

/** Whether this browser can ask for a screen at all (phones usually cannot). */
function canShareScreen(): boolean {
  return typeof navigator.mediaDevices?.getDisplayMedia === 'function';
}

/** What to tell a person when sharing could not start. */
export function screenErrorText(error: unknown): string {
  switch (errorCode(error)) {
    case 'PERMISSION_DENIED':
      return t('screen.error.denied');
    case 'UNSUPPORTED_BROWSER':
    case 'INSECURE_CONTEXT':
      return t('screen.error.unsupported');
    default:
      return t('screen.error.failed', { problem: lowerFirst(describeError(error).title) });
  }
}

async function startSharing(media: LocalMedia): Promise<void> {
  try {
    await media.startScreenShare();
    // Whether system or tab audio came depends on the browser and on what the person ticked.
    toast(media.screenAudioTrack === null ? t('screen.startedSilent') : t('screen.startedWithSound'));
  } catch (error) {
    toast(screenErrorText(error), { kind: 'error' });
  }
}

export function createScreenButton(media: LocalMedia | null): ScreenButton {
  let starting = false;
  const el = h(
    'button',
    { class: 'ctrl', type: 'button', testid: 'control-screen', 'aria-pressed': 'false' },
    icon(icons.screen),
  );

  const update = (): void => {
    const sharing = media?.state.screenSharing ?? false;
    const supported = canShareScreen();
    el.setAttribute('aria-pressed', String(sharing));
    el.classList.toggle('ctrl-sharing', sharing);
    el.disabled = media === null || !supported || starting;
    const label = sharing ? t('screen.stop') : t('screen.share');
    el.setAttribute('aria-label', label);
    el.title =
      media === null ? t('screen.noMedia') : !supported ? t('screen.unavailable') : starting ? t('screen.starting') : label;
  };

  el.addEventListener('click', () => {
    if (media === null || starting) {
      return;
    }
    if (media.state.screenSharing) {
      media.stopScreenShare();
      return;
    }
    starting = true;
    update();
    void startSharing(media).finally(() => {
      starting = false;
      update();
    });
  });
  update();
  return { el, update };
}
