/** The room page's screens besides pre-join and the call: joining, left, disconnected, room full, join error. */
import { describeError, errorCode, lowerFirst, roomFullTitle } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { navigate } from '../router.js';
import { h } from '../ui/dom.js';
import { messageScreen } from '../ui/message-screen.js';

const home = { label: '', onClick: () => navigate('/') };

export function joiningScreen(room: string): HTMLElement {
  return h(
    'main',
    { class: 'page centered' },
    h('div', { class: 'spinner', role: 'status', 'aria-label': t('room.joiningAria') }),
    h('p', { class: 'muted', text: t('room.joining', { room }) }),
  );
}

export function invalidRoomScreen(problem: string): HTMLElement {
  return messageScreen({
    title: t('room.invalidTitle'),
    text: problem,
    actions: [{ ...home, label: t('common.home'), primary: true }],
  });
}

/** "You left the room" (or, with `lost`, "You were disconnected"), with Rejoin and Home. */
export function leftScreen(room: string, lost: boolean, onRejoin: () => void): HTMLElement {
  return messageScreen({
    title: lost ? t('room.disconnectedTitle') : t('room.leftTitle'),
    text: lost ? t('room.disconnectedText') : t('room.leftText', { room }),
    testid: 'left-screen',
    actions: [
      { label: t('room.rejoin'), primary: true, testid: 'left-rejoin', onClick: onRejoin },
      { ...home, label: t('common.home'), testid: 'left-home' },
    ],
  });
}

/** "This room is full (2 of 2)" for ROOM_FULL, otherwise "Could not join: …"; both with Try again and Home. */
export function joinErrorScreen(error: unknown, onRetry: () => void): HTMLElement {
  const actions = [
    { label: t('common.tryAgain'), primary: true, onClick: onRetry },
    { ...home, label: t('common.home') },
  ];
  if (errorCode(error) === 'ROOM_FULL') {
    return messageScreen({ title: roomFullTitle(error), text: t('room.fullText'), testid: 'room-full', actions });
  }
  const text = describeError(error);
  return messageScreen({
    title: t('room.joinError', { problem: lowerFirst(text.title) }),
    text: text.detail,
    testid: 'join-error',
    actions,
  });
}
