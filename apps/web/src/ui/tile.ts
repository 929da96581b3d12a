/** One participant in the call grid: video (or initials), name, mute indicators, connection badges. */
import { Disposer, h, icon, initials } from './dom.js';
import { icons } from './icons.js';

export type ConnectionLabel = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export interface Tile {
  el: HTMLElement;
  /** `force` re-attaches the same stream (a local stream whose tracks were swapped). */
  setStream(stream: MediaStream | null, force?: boolean): void;
  setName(name: string): void;
  setMedia(state: { audioMuted: boolean; videoMuted: boolean }): void;
  setConnection(state: string): void;
  setPath(path: string | null | undefined): void;
  setSpeaking(speaking: boolean): void;
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

/** Candidate type of the selected pair -> how the media travels, in words. */
export function pathLabel(path: string | null | undefined): { text: string; title: string } | null {
  switch (path) {
    case 'host':
      return { text: 'direct', title: 'Direct connection on the local network' };
    case 'prflx':
      return { text: 'direct', title: 'Direct peer-to-peer connection (peer-reflexive address)' };
    case 'srflx':
      return { text: 'STUN', title: 'Peer to peer through NAT, found with STUN' };
    case 'relay':
      return { text: 'relay', title: 'Relayed through the TURN server' };
    default:
      return null;
  }
}

export function createTile(options: { peerId: string; name: string; self: boolean }): Tile {
  const disposer = new Disposer();
  const video = h('video', { class: 'tile-video', autoplay: true, playsinline: true });
  video.muted = options.self; // never play your own microphone back
  if (options.self) {
    video.classList.add('mirrored');
  }

  const avatarText = h('span');
  const avatar = h('div', { class: 'tile-avatar', 'aria-hidden': 'true' }, avatarText);
  const nameEl = h('span', { class: 'tile-name' });
  const micOff = h('span', { class: 'tile-indicator', title: 'Microphone off', hidden: true }, icon(icons.micOff));
  const camOff = h('span', { class: 'tile-indicator', title: 'Camera off', hidden: true }, icon(icons.cameraOff));
  const stateBadge = h('span', { class: 'badge badge-state', role: 'status', hidden: options.self });
  if (!options.self) {
    stateBadge.dataset['testid'] = 'tile-state';
  }
  const pathBadge = h('span', { class: 'badge badge-path', hidden: true });
  const unblock = h('button', {
    class: 'btn btn-small tile-unblock',
    type: 'button',
    hidden: true,
    text: 'Play sound',
    'aria-label': `Play sound from ${options.name}`,
    on: { click: () => void play(true) },
  });

  const el = h(
    'figure',
    { class: 'tile', testid: 'tile', 'data-peer-id': options.peerId, 'data-self': options.self ? 'true' : undefined },
    video,
    avatar,
    h('div', { class: 'tile-top' }, stateBadge, pathBadge),
    unblock,
    h('figcaption', { class: 'tile-bottom' }, nameEl, micOff, camOff),
  );

  let videoMuted = false;
  let stream: MediaStream | null = null;
  let trackWatch = new Disposer();

  /** Shows initials when the camera is off or no live, unmuted video track is arriving. */
  function updateVideoVisibility(): void {
    const live = stream?.getVideoTracks().some((t) => t.readyState === 'live' && !t.muted) ?? false;
    const showVideo = live && !videoMuted;
    el.classList.toggle('tile-no-video', !showVideo);
  }

  async function play(withSound: boolean): Promise<void> {
    if (withSound && !options.self) {
      video.muted = false;
    }
    try {
      await video.play();
      unblock.hidden = true;
    } catch (error) {
      if (error instanceof DOMException && error.name === 'NotAllowedError' && !options.self) {
        // Autoplay with sound is blocked until a click: play muted, offer a button.
        video.muted = true;
        unblock.hidden = false;
        await video.play().catch(() => undefined);
      }
    }
  }

  function watchTracks(): void {
    trackWatch.dispose();
    trackWatch = new Disposer();
    if (!stream) {
      return;
    }
    const s = stream;
    const onChange = (): void => {
      watchTracks();
      updateVideoVisibility();
    };
    s.addEventListener('addtrack', onChange);
    s.addEventListener('removetrack', onChange);
    trackWatch.add(() => {
      s.removeEventListener('addtrack', onChange);
      s.removeEventListener('removetrack', onChange);
    });
    for (const track of s.getVideoTracks()) {
      for (const type of ['mute', 'unmute', 'ended'] as const) {
        track.addEventListener(type, updateVideoVisibility);
        trackWatch.add(() => track.removeEventListener(type, updateVideoVisibility));
      }
    }
  }

  const tile: Tile = {
    el,
    setStream(next, force = false) {
      if (next === stream && !force) {
        return;
      }
      stream = next;
      video.srcObject = null;
      video.srcObject = next;
      watchTracks();
      updateVideoVisibility();
      if (next) {
        void play(false);
      }
    },
    setName(name) {
      const label = options.self ? `${name} (you)` : name;
      nameEl.textContent = label;
      el.setAttribute('aria-label', label);
      avatarText.textContent = initials(name);
    },
    setMedia(state) {
      videoMuted = state.videoMuted;
      micOff.hidden = !state.audioMuted;
      camOff.hidden = !state.videoMuted;
      el.dataset['audioMuted'] = String(state.audioMuted);
      el.dataset['videoMuted'] = String(state.videoMuted);
      updateVideoVisibility();
    },
    setConnection(state) {
      const label = connectionLabel(state);
      stateBadge.textContent = label;
      stateBadge.dataset['state'] = label;
      el.dataset['state'] = label;
      if (label !== 'connected') {
        tile.setPath(null);
      }
    },
    setPath(path) {
      const label = pathLabel(path);
      pathBadge.hidden = label === null;
      pathBadge.textContent = label?.text ?? '';
      pathBadge.title = label?.title ?? '';
      pathBadge.dataset['path'] = path ?? '';
    },
    setSpeaking(speaking) {
      el.classList.toggle('tile-speaking', speaking);
    },
    destroy() {
      trackWatch.dispose();
      disposer.dispose();
      video.srcObject = null;
      el.remove();
    },
  };
  tile.setName(options.name);
  tile.setConnection(options.self ? 'connected' : 'connecting');
  return tile;
}
