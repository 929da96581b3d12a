/**
 * What a call feature (chat, files, screen sharing, recording, stats, hands and reactions) gets from the call
 * view: the room and media, a place in the control bar, the side panel, the large spot, and the tiles. Each
 * feature lives in its own file and cleans up through `disposer`.
 */
import type { LocalMedia, Room } from '@rendezvous/client';
import type { Disposer } from '../ui/dom.js';
import type { Tile } from '../ui/tile.js';

/** The side panel beside the grid (an overlay on phones). One feature's panel is open at a time. */
export interface PanelHost {
  /** Shows `body` under `title`, replacing whatever panel was open. */
  open(id: string, title: string, body: HTMLElement): void;
  /** Closes the panel (only if `id` is the one open, when given). */
  close(id?: string): void;
  isOpen(id: string): boolean;
  /** The open panel's id, or null, after each change. */
  onChange(listener: (openId: string | null) => void): () => void;
  /** Re-titles the open panel of `id` (after a language switch). */
  retitle(id: string, title: string): void;
}

/** The large spot above a strip of tiles, e.g. for a shared screen. The last one shown wins. */
export interface Spotlight {
  show(owner: string, stream: MediaStream, label: string): void;
  hide(owner: string): void;
}

export interface CallFeatureContext {
  readonly room: Room;
  readonly media: LocalMedia | null;
  readonly mode: 'room' | 'call';
  readonly disposer: Disposer;
  /** The call view's element (for drag and drop, overlays). */
  readonly view: HTMLElement;
  /** Puts a button in the control bar, before invite and leave. */
  addControl(button: HTMLElement): void;
  readonly panels: PanelHost;
  readonly spotlight: Spotlight;
  /** The tile of a member (this client's own under `room.peerId`). */
  tile(peerId: string): Tile | undefined;
  /** Called for every tile now and for each one added later. */
  onTile(listener: (peerId: string, tile: Tile) => void): void;
  /** Called after the language changed, to re-apply words. */
  onRelabel(listener: () => void): void;
}

export type CallFeature = (context: CallFeatureContext) => void;
