/**
 * The rows of the transfers list: a file this client sends (one line per recipient) and a file offered to it
 * (Accept / Decline while offered; Save, an object URL of the verified file, once done).
 */
import type { IncomingTransfer, OutgoingTransfer } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { h, icon, type Disposer } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import type { MemberNames } from './chat-members.js';
import { formatBytes } from './files-format.js';
import { createLeg, type Leg } from './files-leg.js';

export interface RowDeps {
  names: MemberNames;
  disposer: Disposer;
  /** A transfer of the row changed state (the feature recounts the offers waiting for an answer). */
  onState(): void;
}

export interface Row {
  el: HTMLElement;
  relabel(): void;
}

export interface IncomingRow extends Row {
  transfer: IncomingTransfer;
  accept(): void;
  decline(): void;
}

const nameOf = (peerId: string, names: MemberNames): string => names.name(peerId) ?? t('chat.someone');

function rowFrame(direction: 'out' | 'in', name: string, size: number): { el: HTMLElement; dir: HTMLElement } {
  const dir = h('div', { class: 'file-direction', testid: 'file-direction' });
  const el = h(
    'li',
    { class: 'file-row', testid: 'file-row', 'data-direction': direction },
    h(
      'div',
      { class: 'file-head' },
      icon(direction === 'out' ? icons.paperclip : icons.download, 'icon file-icon'),
      h('span', { class: 'file-name', testid: 'file-name', title: name, text: name }),
      h('span', { class: 'file-size', text: formatBytes(size) }),
    ),
    dir,
  );
  return { el, dir };
}

/** A file sent to `to` (one member) or everyone: one line per recipient. */
export function outgoingRow(transfers: OutgoingTransfer[], to: string | undefined, deps: RowDeps): Row {
  const first = transfers[0]!;
  const frame = rowFrame('out', first.name, first.size);
  const legs: Leg[] = transfers.map((transfer) =>
    createLeg(transfer, {
      direction: 'out',
      peerId: transfer.to,
      peerName: () => nameOf(transfer.to, deps.names),
      showName: to === undefined,
      fileName: transfer.name,
      disposer: deps.disposer,
      onState: () => deps.onState(),
    }),
  );
  frame.el.append(...legs.map((leg) => leg.el));
  const relabel = (): void => {
    frame.dir.textContent = to === undefined ? t('files.toEveryone') : t('files.toName', { name: nameOf(to, deps.names) });
    legs.forEach((leg) => leg.render());
  };
  relabel();
  return { el: frame.el, relabel };
}

/** The Save link for a verified file; its object URL is revoked when the call view goes. */
function saveLink(file: Blob, name: string, disposer: Disposer): HTMLAnchorElement {
  const url = URL.createObjectURL(file);
  disposer.add(() => URL.revokeObjectURL(url));
  const link = h('a', { class: 'btn btn-small btn-primary file-save', testid: 'file-save', href: url, download: name });
  link.append(icon(icons.download), h('span', { class: 'file-save-text' }));
  return link;
}

/** A file offered to this client. */
export function incomingRow(transfer: IncomingTransfer, deps: RowDeps): IncomingRow {
  const frame = rowFrame('in', transfer.name, transfer.size);
  let accepted = false;
  const accept = (): void => {
    if (transfer.state !== 'offered' || accepted) {
      return;
    }
    accepted = true;
    transfer.accept().catch(() => leg.render()); // the failure itself arrives as the transfer's `error`
  };
  const decline = (): void => transfer.reject();
  const acceptButton = h('button', {
    class: 'btn btn-small btn-accept',
    type: 'button',
    testid: 'file-accept',
    on: { click: accept },
  });
  const declineButton = h('button', {
    class: 'btn btn-small btn-secondary',
    type: 'button',
    testid: 'file-decline',
    on: { click: decline },
  });
  const actions = h('div', { class: 'file-actions' }, acceptButton, declineButton);
  let save: HTMLAnchorElement | null = null;
  const leg = createLeg(transfer, {
    direction: 'in',
    peerId: transfer.from,
    peerName: () => nameOf(transfer.from, deps.names),
    showName: false,
    fileName: transfer.name,
    accepted: () => accepted,
    disposer: deps.disposer,
    onState: () => {
      relabel();
      deps.onState();
    },
  });
  deps.disposer.add(
    transfer.on('done', ({ file }) => {
      save = saveLink(file, transfer.name, deps.disposer);
      actions.append(save);
      relabel();
    }),
  );
  frame.el.append(leg.el, actions);
  function relabel(): void {
    const offered = transfer.state === 'offered';
    acceptButton.hidden = !offered;
    declineButton.hidden = !offered;
    acceptButton.textContent = t('files.accept');
    declineButton.textContent = t('files.decline');
    frame.dir.textContent = t('files.fromName', { name: nameOf(transfer.from, deps.names) });
    if (save) {
      save.querySelector('.file-save-text')!.textContent = t('files.save');
      save.setAttribute('aria-label', t('files.saveAria', { file: transfer.name }));
    }
    actions.hidden = !offered && save === null;
    leg.render();
  }
  relabel();
  return { el: frame.el, relabel, transfer, accept, decline };
}
