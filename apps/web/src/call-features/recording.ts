/**
 * The recording feature of the call view (issue 8): a record button with a menu (own media, one peer, the whole
 * call), a timer and size while recording, the file downloaded when it stops, and for everyone a "REC" badge on
 * the recording member's tile and a notice under the header.
 */
import { t } from '../i18n/index.js';
import type { CallFeature } from './context.js';
import { createRecordMenu } from './recording-menu.js';
import { createRecordingNotice } from './recording-notice.js';
import { createRecordingSession } from './recording-session.js';
import { createTileBadges } from './screen-tile-badges.js';
import './recording.css';

export const recordingFeature: CallFeature = (ctx) => {
  const { room, disposer } = ctx;
  const badges = createTileBadges(ctx, {
    className: 'badge-rec',
    testid: 'tile-recording',
    text: () => t('recording.badge'),
    title: () => t('recording.badgeTitle'),
  });
  const notice = createRecordingNotice(ctx.view);
  const render = (): void => {
    menu.update();
    const others = room.recordings.recorders
      .filter((id) => id !== room.peerId)
      .flatMap((id) => room.peers.get(id)?.displayName ?? []);
    notice.render({ phase: session.phase, progress: session.progress, others });
    badges.set(room.peerId, session.phase !== 'idle' || room.recordings.isRecording(room.peerId));
  };
  const session = createRecordingSession(room, { onChange: render });
  const menu = createRecordMenu(ctx, session);
  ctx.addControl(menu.el);

  for (const peerId of room.recordings.recorders) {
    badges.set(peerId, true);
  }
  disposer.add(
    room.recordings.on('recording', (peerId, on) => {
      badges.set(peerId, on);
      render();
    }),
  );
  disposer.add(room.on('peer-updated', () => render()));
  // The recording ends with the room (or with leaving the call), and the file still downloads.
  disposer.add(
    room.on('state', (state) => {
      if (state === 'closed') {
        void session.stop();
      }
    }),
  );
  disposer.add(() => void session.stop());
  ctx.onRelabel(() => {
    badges.relabel();
    render();
  });
  render();
};
