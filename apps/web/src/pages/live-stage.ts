/**
 * The live stage: the presenters' videos, one large (a shared screen first, else the one picked, else the first
 * presenter) and the others in a strip below; "waiting for the broadcast" while nobody presents.
 */
import type { LocalMedia, Room } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { createTile, type Tile } from '../ui/tile.js';
import type { LiveMember } from './live-roles.js';

export interface LiveStage {
  el: HTMLElement;
  /** Shows these presenters (members who do not present are left out). */
  update(members: readonly LiveMember[]): void;
  /** A member's camera tracks changed: re-attach its stream. */
  refreshStream(peerId: string): void;
  relabel(): void;
  destroy(): void;
}

interface StageItem {
  tile: Tile;
  owner: string;
  screen: boolean;
}

/** What a member shows: its camera stream, its screen (or null), its mute flags. */
function sourcesOf(room: Room, media: LocalMedia | null, peerId: string) {
  if (peerId === room.peerId) {
    return { stream: media?.stream ?? null, screen: media?.screenStream ?? null, state: room.self.media };
  }
  const peer = room.peers.get(peerId);
  return { stream: peer?.stream ?? null, screen: peer?.screen ?? null, state: peer?.media ?? null };
}

type ItemFor = (key: string, owner: string, screen: boolean, name: string, self: boolean) => StageItem;

/** Puts a presenter's camera on stage, and its screen when it shares one; adds their keys to `wanted`. */
function showMember(room: Room, media: LocalMedia | null, member: LiveMember, itemFor: ItemFor, wanted: Set<string>): void {
  const sources = sourcesOf(room, media, member.peerId);
  const camera = itemFor(member.peerId, member.peerId, false, member.name, member.self);
  camera.tile.setName(member.name);
  camera.tile.setStream(sources.stream);
  camera.tile.setConnection(member.self ? 'connected' : (room.peers.get(member.peerId)?.connectionState ?? 'new'));
  if (sources.state) {
    camera.tile.setMedia(sources.state);
  }
  wanted.add(member.peerId);
  if (sources.screen !== null) {
    const key = `${member.peerId}:screen`;
    const screen = itemFor(key, member.peerId, true, t('live.screenOf', { name: member.name }), member.self);
    screen.tile.setStream(sources.screen);
    screen.tile.setMedia({ audioMuted: false, videoMuted: false });
    screen.tile.setConnection('connected');
    wanted.add(key);
  }
}

/** Marks the large one: a shared screen first, else the one picked, else the first presenter. */
function layoutStage(items: ReadonlyMap<string, StageItem>, pinned: string | null): void {
  const keys = [...items.keys()];
  const screenKey = keys.find((key) => items.get(key)?.screen === true);
  const big = screenKey ?? (pinned !== null && items.has(pinned) ? pinned : keys[0]);
  for (const [key, item] of items) {
    item.tile.el.classList.toggle('live-big', key === big);
  }
}

/** A presenter's camera tile, or its screen's. */
function stageTile(key: string, owner: string, screen: boolean, name: string, self: boolean): Tile {
  const tile = createTile({ peerId: key, name, self: self && !screen });
  tile.el.setAttribute('role', 'listitem');
  tile.el.dataset['testid'] = 'live-tile';
  tile.el.dataset['owner'] = owner;
  tile.el.dataset['screen'] = String(screen);
  return tile;
}

export function createLiveStage(room: Room, media: LocalMedia | null): LiveStage {
  const waiting = h('p', { class: 'live-waiting muted', testid: 'live-waiting' });
  const tiles = h('div', { class: 'live-tiles', role: 'list' });
  const el = h('section', { class: 'live-stage', testid: 'live-stage' }, waiting, tiles);
  const items = new Map<string, StageItem>();
  let members: readonly LiveMember[] = [];
  let pinned: string | null = null;

  const itemFor: ItemFor = (key, owner, screen, name, self) => {
    let item = items.get(key);
    if (item === undefined) {
      item = { tile: stageTile(key, owner, screen, name, self), owner, screen };
      item.tile.el.addEventListener('click', () => {
        pinned = key;
        layout();
      });
      items.set(key, item);
      tiles.append(item.tile.el);
    }
    return item;
  };

  function layout(): void {
    layoutStage(items, pinned);
    tiles.dataset['count'] = String(items.size);
    waiting.hidden = items.size > 0;
  }

  const relabel = (): void => {
    waiting.textContent = t('live.waiting');
    tiles.setAttribute('aria-label', t('live.stage'));
    for (const item of items.values()) {
      const name = members.find((member) => member.peerId === item.owner)?.name ?? '';
      item.tile.setName(item.screen ? t('live.screenOf', { name }) : name);
    }
  };

  return {
    el,
    update(next) {
      members = next;
      const wanted = new Set<string>();
      for (const member of next.filter((m) => m.presenting)) {
        showMember(room, media, member, itemFor, wanted);
      }
      for (const [key, item] of [...items]) {
        if (!wanted.has(key)) {
          item.tile.destroy();
          items.delete(key);
        }
      }
      layout();
      relabel();
    },
    refreshStream(peerId) {
      const item = items.get(peerId);
      const sources = sourcesOf(room, media, peerId);
      item?.tile.setStream(sources.stream, true);
    },
    relabel,
    destroy() {
      for (const item of items.values()) {
        item.tile.destroy();
      }
      items.clear();
    },
  };
}
