/** One participant in the call grid: video (or initials), name, mute indicators, connection badges. */
import { t, type PlainKey } from '../i18n/index.js';
import { h, icon, initials } from './dom.js';
import { icons } from './icons.js';
import { createTileVideo } from './tile-video.js';

export type ConnectionLabel = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export interface Tile {
  el: HTMLElement;
  /** A slot beside the connection badges where call features put theirs (a raised hand, quality). */
  extras: HTMLElement;
  /** `force` re-attaches the same stream (a local stream whose tracks were swapped). */
  setStream(stream: MediaStream | null, force?: boolean): void;
  setName(name: string): void;
  setMedia(state: { audioMuted: boolean; videoMuted: boolean }): void;
  setConnection(state: string): void;
  setPath(path: string | null | undefined): void;
  setSpeaking(speaking: boolean): void;
  /** Re-applies every text in the current language. */
  relabel(): void;
  destroy(): void;
}

/** PeerConnectionState -> what the badge says. */
export function connectionLabel(state: string): ConnectionLabel {
  switch (state) {
    case 'connected':
    case 'reconnecting':
    case 'failed':
    case 'closed':
      return state;
    default:
      return 'connecting';
  }
}

const PATHS: Record<string, { text: PlainKey; title: PlainKey }> = {
  host: { text: 'path.direct', title: 'path.hostTitle' },
  prflx: { text: 'path.direct', title: 'path.prflxTitle' },
  srflx: { text: 'path.stun', title: 'path.srflxTitle' },
  relay: { text: 'path.relay', title: 'path.relayTitle' },
};

/** Candidate type of the selected pair -> how the media travels, in words. */
export function pathLabel(path: string | null | undefined): { text: string; title: string } | null {
  const keys = path ? PATHS[path] : undefined;
  return keys ? { text: t(keys.text), title: t(keys.title) } : null;
}

type TileParts = Record<
  'el' | 'avatarText' | 'nameEl' | 'micOff' | 'camOff' | 'stateBadge' | 'pathBadge' | 'unblock',
  HTMLElement
>;

/** What a tile says: its words in the current language. */
function labelTile(p: TileParts, self: boolean, state: { name: string; connection: ConnectionLabel; path: string | null }): void {
  const label = self ? t('tile.you', { name: state.name }) : state.name;
  p.nameEl.textContent = label;
  p.el.setAttribute('aria-label', label);
  p.avatarText.textContent = initials(state.name);
  p.micOff.title = t('tile.micOff');
  p.camOff.title = t('tile.cameraOff');
  p.unblock.textContent = t('tile.playSound');
  p.unblock.setAttribute('aria-label', t('tile.playSoundAria', { name: state.name }));
  p.stateBadge.textContent = t(`tile.state.${state.connection}`);
  const shown = pathLabel(state.path);
  p.pathBadge.hidden = shown === null;
  p.pathBadge.textContent = shown?.text ?? '';
  p.pathBadge.title = shown?.title ?? '';
}

function tileParts(self: boolean): Omit<TileParts, 'el' | 'unblock'> {
  const stateBadge = h('span', { class: 'badge badge-state', role: 'status', hidden: self });
  if (!self) {
    stateBadge.dataset['testid'] = 'tile-state';
  }
  return {
    avatarText: h('span'),
    nameEl: h('span', { class: 'tile-name' }),
    micOff: h('span', { class: 'tile-indicator', hidden: true }, icon(icons.micOff)),
    camOff: h('span', { class: 'tile-indicator', hidden: true }, icon(icons.cameraOff)),
    stateBadge,
    pathBadge: h('span', { class: 'badge badge-path', hidden: true }),
  };
}

export function createTile(options: { peerId: string; name: string; self: boolean }): Tile {
  const video = h('video', { class: 'tile-video', autoplay: true, playsinline: true });
  video.muted = options.self; // never play your own microphone back
  video.classList.toggle('mirrored', options.self);
  const p = tileParts(options.self);
  const unblock = h('button', {
    class: 'btn btn-small tile-unblock',
    type: 'button',
    hidden: true,
    on: { click: () => void media.play(true) },
  });
  const extras = h('span', { class: 'tile-extras' });
  const el = h(
    'figure',
    { class: 'tile', testid: 'tile', 'data-peer-id': options.peerId, 'data-self': options.self ? 'true' : undefined },
    video,
    h('div', { class: 'tile-avatar', 'aria-hidden': 'true' }, p.avatarText),
    h('div', { class: 'tile-top' }, extras, p.stateBadge, p.pathBadge),
    unblock,
    h('figcaption', { class: 'tile-bottom' }, p.nameEl, p.micOff, p.camOff),
  );
  let videoMuted = false;
  let name = options.name;
  let connection: ConnectionLabel = options.self ? 'connected' : 'connecting';
  let path: string | null = null;

  /** Shows initials when the camera is off or no live, unmuted video track is arriving. */
  const updateVideoVisibility = (): void => void el.classList.toggle('tile-no-video', !(media.hasLiveVideo() && !videoMuted));
  const media = createTileVideo(video, {
    self: options.self,
    onTracksChanged: () => updateVideoVisibility(),
    onSoundBlocked: (blocked) => (unblock.hidden = !blocked),
  });

  const relabel = (): void => labelTile({ ...p, el, unblock }, options.self, { name, connection, path });

  const tile: Tile = {
    el,
    extras,
    setStream: (next, force = false) => media.setStream(next, force),
    setName(next) {
      name = next;
      relabel();
    },
    setMedia(state) {
      videoMuted = state.videoMuted;
      p.micOff.hidden = !state.audioMuted;
      p.camOff.hidden = !state.videoMuted;
      el.dataset['audioMuted'] = String(state.audioMuted);
      el.dataset['videoMuted'] = String(state.videoMuted);
      updateVideoVisibility();
    },
    setConnection(state) {
      connection = connectionLabel(state);
      p.stateBadge.dataset['state'] = connection;
      el.dataset['state'] = connection;
      if (connection !== 'connected') {
        path = null;
        p.pathBadge.dataset['path'] = '';
      }
      relabel();
    },
    setPath(next) {
      path = next ?? null;
      p.pathBadge.dataset['path'] = path ?? '';
      relabel();
    },
    setSpeaking: (speaking) => void el.classList.toggle('tile-speaking', speaking),
    relabel,
    destroy() {
      media.destroy();
      el.remove();
    },
  };
  tile.setConnection(connection);
  return tile;
}
