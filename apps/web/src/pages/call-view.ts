/**
 * The call view shared by rooms and 1:1 calls: a grid of tiles (you and every peer), a control bar,
 * a reconnecting banner, and toasts for people coming and going. Switching the language re-labels it in place.
 */
import type { LocalMedia, RemotePeer, Room } from '@rendezvous/client';
import { mountCallFeatures, type CallFeatureContext } from '../call-features/index.js';
import { createPanelHost } from '../call-features/panel-host.js';
import { createSpotlight } from '../call-features/spotlight.js';
import { expose } from '../debug.js';
import { describeError } from '../errors-text.js';
import { onLanguageChange, t } from '../i18n/index.js';
import { copyWithToast } from '../ui/clipboard.js';
import { createControls, type Controls } from '../ui/controls.js';
import { Disposer, h } from '../ui/dom.js';
import { createTile, type Tile } from '../ui/tile.js';
import { toast } from '../ui/toasts.js';
import { createCallChrome, type CallChrome } from './call-chrome.js';

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
  /** The page's title in the current language (called again after a language switch). */
  docTitle?(): string;
}

const LEFT_TEXT = { left: 'call.left', disconnected: 'call.lostConnection', kicked: 'call.removed' } as const;

/** Columns for n tiles on a wide screen; phones always get one column (styles.css). */
function columnsFor(n: number): number {
  if (n <= 1) {
    return 1;
  }
  if (n <= 4) {
    return 2;
  }
  return n <= 9 ? 3 : 4;
}

/** The tiles of a call: you first, then each peer by id. */
class TileGrid {
  readonly tiles = new Map<string, Tile>();
  readonly #added = new Set<(id: string, tile: Tile) => void>();
  constructor(private readonly chrome: CallChrome) {}

  add(id: string, tile: Tile): void {
    tile.el.setAttribute('role', 'listitem');
    this.tiles.set(id, tile);
    this.chrome.grid.appendChild(tile.el);
    this.layout();
    for (const listener of this.#added) {
      listener(id, tile);
    }
  }

  /** Calls `listener` for every tile now and each one added later. */
  onTile(listener: (id: string, tile: Tile) => void): void {
    this.#added.add(listener);
    for (const [id, tile] of this.tiles) {
      listener(id, tile);
    }
  }

  addPeer(peer: RemotePeer): void {
    if (this.tiles.has(peer.peerId)) {
      return;
    }
    const tile = createTile({ peerId: peer.peerId, name: peer.displayName, self: false });
    tile.setStream(peer.stream);
    tile.setMedia(peer.media);
    tile.setConnection(peer.connectionState);
    this.add(peer.peerId, tile);
    this.showPath(peer);
  }

  remove(id: string): void {
    this.tiles.get(id)?.destroy();
    this.tiles.delete(id);
    this.layout();
  }

  showPath(peer: RemotePeer): void {
    if (peer.connectionState === 'connected') {
      this.tiles.get(peer.peerId)?.setPath(peer.path === 'unknown' ? null : peer.path);
    }
  }

  layout(): void {
    this.chrome.grid.style.setProperty('--cols', String(columnsFor(this.tiles.size)));
    this.chrome.grid.dataset['count'] = String(this.tiles.size);
    this.chrome.setCount(this.tiles.size);
  }

  destroy(): void {
    for (const tile of this.tiles.values()) {
      tile.destroy();
    }
    this.tiles.clear();
  }
}

/** Peers coming, going, changing: the grid follows and toasts tell. */
function followPeers(room: Room, grid: TileGrid, disposer: Disposer, ending: () => boolean): void {
  const tile = (id: string): Tile | undefined => grid.tiles.get(id);
  disposer.add(
    room.on('peer-joined', (peer) => {
      grid.addPeer(peer);
      toast(t('call.joined', { name: peer.displayName }));
    }),
  );
  disposer.add(
    room.on('peer-left', (peer, reason) => {
      grid.remove(peer.peerId);
      if (!ending()) {
        toast(t(LEFT_TEXT[reason] ?? 'call.left', { name: peer.displayName }));
      }
    }),
  );
  disposer.add(
    room.on('peer-updated', (peer) => {
      tile(peer.peerId)?.setMedia(peer.media);
      tile(peer.peerId)?.setName(peer.displayName);
    }),
  );
  disposer.add(room.on('track', (peer) => tile(peer.peerId)?.setStream(peer.stream, true)));
  disposer.add(
    room.on('peer-state', (peer, state) => {
      tile(peer.peerId)?.setConnection(state);
      if (state === 'connected') {
        tile(peer.peerId)?.setStream(peer.stream);
        grid.showPath(peer);
      }
      if (state === 'failed') {
        toast(t('call.couldNotConnect', { name: peer.displayName }), { kind: 'error' });
      }
    }),
  );
  disposer.add(
    room.on('active-speaker', (id) => {
      for (const [peerId, each] of grid.tiles) {
        each.setSpeaking(peerId === id);
      }
    }),
  );
  // The candidate pair can change (ICE restart, network switch).
  disposer.add(room.on('peer-path', (peer) => grid.showPath(peer)));
}

/** Your own tile, following your media. */
function addSelf(room: Room, media: LocalMedia | null, grid: TileGrid, disposer: Disposer): void {
  const self = createTile({ peerId: room.peerId, name: room.self.displayName, self: true });
  const refresh = (force = false): void => {
    self.setStream(media?.stream ?? null, force);
    self.setMedia(media ? media.state : { audioMuted: true, videoMuted: true });
  };
  refresh();
  grid.add(room.peerId, self);
  if (media) {
    disposer.add(media.on('state', () => refresh()));
    disposer.add(media.on('send-track', (kind) => refresh(kind === 'video')));
    disposer.add(media.on('error', (error) => toast(describeError(error).title, { kind: 'error' })));
  }
}

/** Shortcuts: m = microphone, v = camera (not while typing). */
function listenForShortcuts(controls: Controls, disposer: Disposer): void {
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
}

/** Room state and errors: the reconnecting banner, a room lost on its own, errors worth a toast. */
function followRoom(room: Room, view: HTMLElement, chrome: CallChrome, disposer: Disposer, onClosed: () => void): void {
  disposer.add(
    room.on('state', (state) => {
      chrome.banner.hidden = state !== 'reconnecting';
      view.dataset['state'] = state;
      if (state === 'closed') {
        onClosed();
      }
    }),
  );
  disposer.add(
    room.on('error', (error) => {
      // A retry shows on the tile; a peer given up on gets its own toast.
      if (error.code !== 'CONNECTION_RETRYING' && error.code !== 'CONNECTION_FAILED') {
        toast(describeError(error).title, { kind: 'error' });
      }
    }),
  );
}

export function mountCallView(root: HTMLElement, options: CallViewOptions): () => void {
  const { room, media } = options;
  const disposer = new Disposer();
  let ending = false;
  const inviteLink = options.inviteLink ?? location.href;
  const chrome = createCallChrome({
    title: options.title,
    onCopyInvite: () => void copyWithToast(inviteLink, t('call.inviteLink')),
  });
  disposer.add(() => chrome.destroy());
  const controls = createControls({
    media,
    mode: options.mode,
    onInvite: () => void copyWithToast(inviteLink, t('call.inviteLink')),
    onEnd: () => {
      ending = true;
      options.onEnd();
    },
  });
  disposer.add(() => controls.destroy());
  const stage = h('div', { class: 'call-stage' });
  const spotlight = createSpotlight(stage);
  const panels = createPanelHost();
  stage.append(spotlight.el, chrome.grid);
  const view = h(
    'main',
    { class: 'call', testid: 'call-view', 'data-room': room.name },
    chrome.header,
    chrome.banner,
    options.mode === 'room' ? chrome.alone : null,
    h('div', { class: 'call-body' }, stage, panels.el),
    controls.el,
  );
  root.append(view);
  const relabels: (() => void)[] = [() => panels.relabel()];

  const grid = new TileGrid(chrome);
  addSelf(room, media, grid, disposer);
  for (const peer of room.peers.values()) {
    grid.addPeer(peer);
  }
  followPeers(room, grid, disposer, () => ending);
  followRoom(room, view, chrome, disposer, () => !ending && options.onLost());
  listenForShortcuts(controls, disposer);
  const features: CallFeatureContext = {
    room,
    media,
    mode: options.mode,
    disposer,
    view,
    addControl: (button) => void controls.slot.append(button),
    panels,
    spotlight,
    tile: (peerId) => grid.tiles.get(peerId),
    onTile: (listener) => grid.onTile(listener),
    onRelabel: (listener) => void relabels.push(listener),
  };
  mountCallFeatures(features);
  disposer.add(
    onLanguageChange(() => {
      chrome.relabel();
      for (const relabel of relabels) {
        relabel();
      }
      for (const tile of grid.tiles.values()) {
        tile.relabel();
      }
      if (options.docTitle) {
        document.title = options.docTitle();
      }
    }),
  );

  expose({ room, media });
  disposer.add(() => {
    grid.destroy();
    view.remove();
  });
  return () => disposer.dispose();
}
