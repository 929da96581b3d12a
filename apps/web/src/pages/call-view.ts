/**
 * The call view shared by rooms and 1:1 calls: a grid of tiles (you and every peer), a control bar,
 * a reconnecting banner, and toasts for people coming and going.
 */
import type { LocalMedia, RemotePeer, Room } from '@rendezvous/client';
import { expose } from '../debug.js';
import { describeError } from '../errors-text.js';
import { copyWithToast } from '../ui/clipboard.js';
import { createControls } from '../ui/controls.js';
import { Disposer, h } from '../ui/dom.js';
import { createTile, type Tile } from '../ui/tile.js';
import { toast } from '../ui/toasts.js';

export interface CallViewOptions {
  room: Room;
  media: LocalMedia | null;
  title: string;
  mode: 'room' | 'call';
  /** Room mode: the link the invite button copies. */
  inviteLink?: string;
  /** The user pressed leave (room) or hang up (call). */
  onEnd(): void;
  /** The room ended without the user asking (state 'closed'). */
  onLost(): void;
}

const LEFT_TEXT = { left: 'left', disconnected: 'lost connection', kicked: 'was removed' } as const;

/** Columns for n tiles on a wide screen; phones always get one column (styles.css). */
function columnsFor(n: number): number {
  if (n <= 1) {
    return 1;
  }
  if (n <= 4) {
    return 2;
  }
  if (n <= 9) {
    return 3;
  }
  return 4;
}

export function mountCallView(root: HTMLElement, options: CallViewOptions): () => void {
  const { room, media } = options;
  const disposer = new Disposer();
  const tiles = new Map<string, Tile>();
  let ending = false;

  const grid = h('div', { class: 'grid', role: 'list', 'aria-label': 'Participants' });
  const banner = h(
    'div',
    { class: 'banner', role: 'status', hidden: true, testid: 'reconnecting-banner' },
    'Connection lost. Reconnecting…',
  );
  const count = h('span', { class: 'muted' });
  const inviteLink = options.inviteLink ?? location.href;
  const copyInvite = (): void => void copyWithToast(inviteLink, 'Invite link');
  const alone = h(
    'div',
    { class: 'alone-hint', hidden: true },
    h('span', { text: 'Waiting for others to join. Send them the invite link.' }),
    h('button', { class: 'btn btn-small btn-secondary', type: 'button', text: 'Copy link', on: { click: copyInvite } }),
  );
  const controls = createControls({
    media,
    mode: options.mode,
    onInvite: copyInvite,
    onEnd: () => {
      ending = true;
      options.onEnd();
    },
  });
  disposer.add(() => controls.destroy());

  const view = h(
    'main',
    { class: 'call', testid: 'call-view', 'data-room': room.name },
    h(
      'header',
      { class: 'call-header' },
      h('div', { class: 'brand brand-small' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' })),
      h('h1', { class: 'call-title', title: options.title, text: options.title }),
      count,
    ),
    banner,
    options.mode === 'room' ? alone : null,
    grid,
    controls.el,
  );
  root.append(view);

  function layout(): void {
    grid.style.setProperty('--cols', String(columnsFor(tiles.size)));
    grid.dataset['count'] = String(tiles.size);
    const others = tiles.size - 1;
    count.textContent = others === 0 ? 'Only you so far' : `${tiles.size} people`;
    alone.hidden = others > 0;
  }

  function addTile(id: string, tile: Tile): void {
    tile.el.setAttribute('role', 'listitem');
    tiles.set(id, tile);
    grid.appendChild(tile.el);
    layout();
  }

  // You.
  const self = createTile({ peerId: room.peerId, name: room.self.displayName, self: true });
  const refreshSelf = (force = false): void => {
    self.setStream(media?.stream ?? null, force);
    self.setMedia(media ? media.state : { audioMuted: true, videoMuted: true });
  };
  refreshSelf();
  addTile(room.peerId, self);
  if (media) {
    disposer.add(media.on('state', () => refreshSelf()));
    disposer.add(media.on('send-track', (kind) => refreshSelf(kind === 'video')));
    disposer.add(media.on('error', (error) => toast(describeError(error).title, { kind: 'error' })));
  }

  // Everyone else.
  function showPath(peer: RemotePeer): void {
    if (peer.connectionState === 'connected') {
      tiles.get(peer.peerId)?.setPath(peer.path === 'unknown' ? null : peer.path);
    }
  }

  function addPeer(peer: RemotePeer): void {
    if (tiles.has(peer.peerId)) {
      return;
    }
    const tile = createTile({ peerId: peer.peerId, name: peer.displayName, self: false });
    tile.setStream(peer.stream);
    tile.setMedia(peer.media);
    tile.setConnection(peer.connectionState);
    addTile(peer.peerId, tile);
    showPath(peer);
  }

  function removePeer(id: string): void {
    tiles.get(id)?.destroy();
    tiles.delete(id);
    layout();
  }

  for (const peer of room.peers.values()) {
    addPeer(peer);
  }

  disposer.add(
    room.on('peer-joined', (peer) => {
      addPeer(peer);
      toast(`${peer.displayName} joined`);
    }),
  );
  disposer.add(
    room.on('peer-left', (peer, reason) => {
      removePeer(peer.peerId);
      if (!ending) {
        toast(`${peer.displayName} ${LEFT_TEXT[reason] ?? 'left'}`);
      }
    }),
  );
  disposer.add(
    room.on('peer-updated', (peer) => {
      const tile = tiles.get(peer.peerId);
      tile?.setMedia(peer.media);
      tile?.setName(peer.displayName);
    }),
  );
  disposer.add(room.on('track', (peer) => tiles.get(peer.peerId)?.setStream(peer.stream, true)));
  disposer.add(
    room.on('peer-state', (peer, state) => {
      const tile = tiles.get(peer.peerId);
      tile?.setConnection(state);
      if (state === 'connected') {
        tile?.setStream(peer.stream);
        showPath(peer);
      }
      if (state === 'failed') {
        toast(`Could not connect to ${peer.displayName}`, { kind: 'error' });
      }
    }),
  );
  disposer.add(
    room.on('active-speaker', (id) => {
      for (const [peerId, tile] of tiles) {
        tile.setSpeaking(peerId === id);
      }
    }),
  );
  disposer.add(
    room.on('state', (state) => {
      banner.hidden = state !== 'reconnecting';
      view.dataset['state'] = state;
      if (state === 'closed' && !ending) {
        options.onLost();
      }
    }),
  );
  // The candidate pair can change (ICE restart, network switch).
  disposer.add(room.on('peer-path', (peer) => showPath(peer)));
  disposer.add(
    room.on('error', (error) => {
      // A retry shows on the tile; a peer given up on gets its own toast above.
      if (error.code === 'CONNECTION_RETRYING' || error.code === 'CONNECTION_FAILED') {
        return;
      }
      toast(describeError(error).title, { kind: 'error' });
    }),
  );

  // Shortcuts: m = microphone, v = camera (not while typing).
  disposer.listen(document, 'keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) {
      return;
    }
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable="true"]')) {
      return;
    }
    if (event.key === 'm' || event.key === 'M') {
      controls.toggleMic();
    } else if (event.key === 'v' || event.key === 'V') {
      controls.toggleCamera();
    }
  });

  expose({ room, media });
  disposer.add(() => {
    for (const tile of tiles.values()) {
      tile.destroy();
    }
    tiles.clear();
    view.remove();
  });
  return () => disposer.dispose();
}
