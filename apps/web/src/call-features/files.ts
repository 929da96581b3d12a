/**
 * The files feature of the call view (issue 8): a paperclip button opening the Files panel (send to everyone or
 * one member, from a file picker or by dropping files on the call; the transfers with progress, cancel, Accept /
 * Decline, Save and "Verified"), with a badge counting the offers that wait for an answer.
 */
import type { Room } from '@rendezvous/client';
import { describeError } from '../errors-text.js';
import { t } from '../i18n/index.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import { toast } from '../ui/toasts.js';
import { followMemberNames } from './chat-members.js';
import type { CallFeature } from './context.js';
import { followFileDrops } from './files-drop.js';
import { promptForOffer } from './files-offer-prompt.js';
import { createFilesPanel } from './files-panel.js';
import { incomingRow, outgoingRow, type IncomingRow, type RowDeps } from './files-rows.js';
import './chat.css';
import './files.css';

const PANEL_ID = 'files';

function filesButton(onClick: () => void): { el: HTMLButtonElement; render(open: boolean, pending: number): void } {
  const badge = h('span', { class: 'feature-badge', testid: 'files-pending', 'aria-hidden': 'true', hidden: true });
  const el = h(
    'button',
    { class: 'ctrl ctrl-badged', type: 'button', testid: 'control-files', 'aria-pressed': 'false', on: { click: onClick } },
    icon(icons.paperclip),
    badge,
  );
  return {
    el,
    render(open, pending) {
      badge.hidden = pending === 0;
      badge.textContent = String(pending);
      el.setAttribute('aria-pressed', String(open));
      const action = t(open ? 'files.close' : 'files.open');
      const label = pending > 0 ? `${action} (${t('files.pending', { count: pending })})` : action;
      el.setAttribute('aria-label', label);
      el.title = label;
    },
  };
}

/** Offers every file to `to` (or everyone); on failure says why. True when something went out. */
function sendFiles(
  room: Room,
  files: File[],
  to: string | undefined,
  deps: RowDeps,
  add: (row: ReturnType<typeof outgoingRow>) => void,
): boolean {
  if (room.peers.size === 0) {
    toast(t('files.nobody'), { kind: 'info' });
    return false;
  }
  for (const file of files) {
    try {
      const transfers = room.files.send(file, to === undefined ? {} : { to });
      if (transfers.length > 0) {
        add(outgoingRow(transfers, to, deps));
      }
    } catch (error) {
      toast(t('files.sendFailed', { problem: describeError(error).title }), { kind: 'error' });
      return false;
    }
  }
  return true;
}

export const filesFeature: CallFeature = (ctx) => {
  const { room, panels, disposer } = ctx;
  const members = followMemberNames(room, disposer);
  const incoming: IncomingRow[] = [];
  const isOpen = (): boolean => panels.isOpen(PANEL_ID);
  const pending = (): number => incoming.filter((row) => row.transfer.state === 'offered').length;
  const render = (): void => button.render(isOpen(), pending());
  const deps: RowDeps = { names: members, disposer, onState: () => render() };
  const openPanel = (): void => {
    if (!isOpen()) {
      panels.open(PANEL_ID, t('files.title'), panel.el);
    }
  };
  const send = (files: File[]): void => {
    if (sendFiles(room, files, panel.picker.value(), deps, (row) => panel.add(row))) {
      openPanel();
    }
  };
  const panel = createFilesPanel({ members, disposer, onFiles: send });
  const button = filesButton(() => (isOpen() ? panels.close(PANEL_ID) : openPanel()));
  const drops = followFileDrops(ctx.view, disposer, {
    label: () => t('files.dropHere', { name: panel.picker.targetName() }),
    onDrop: send,
  });

  disposer.add(
    room.files.on('incoming', (offer) => {
      const row = incomingRow(offer, deps);
      incoming.push(row);
      panel.add(row);
      if (!isOpen()) {
        promptForOffer(offer, members.name(offer.from) ?? t('chat.someone'), {
          accept: () => row.accept(),
          decline: () => row.decline(),
          disposer,
        });
      }
      render();
    }),
  );
  disposer.add(panels.onChange(render));
  ctx.onRelabel(() => {
    render();
    panel.relabel();
    drops.relabel();
    panels.retitle(PANEL_ID, t('files.title'));
  });
  panel.relabel();
  render();
  ctx.addControl(button.el);
};
