import { fitContain, gridLayout, type TileRect } from './grid-layout.js';
import { liveVideoTrack, type RecordingSource } from './recording-sources.js';

export interface CompositorOptions {
  width: number;
  height: number;
  frameRate: number;
}

interface VideoTile {
  element: HTMLVideoElement;
  track: MediaStreamTrack | null;
}

const BACKGROUND = '#111318';
const TILE_BACKGROUND = '#23262d';
const TEXT = '#f2f3f5';

/**
 * Draws the sources as a grid on a canvas whose captured stream is what gets recorded. The canvas track
 * stays the same whatever happens to the sources: a tile follows its source's current video track, a source
 * that disappears loses its tile. The owner calls `render` on a timer (not requestAnimationFrame, which
 * stops in background tabs).
 */
export class VideoCompositor {
  readonly stream: MediaStream;
  readonly #canvas: HTMLCanvasElement;
  readonly #context: CanvasRenderingContext2D;
  readonly #tiles = new Map<string, VideoTile>();

  constructor(options: CompositorOptions) {
    this.#canvas = document.createElement('canvas');
    this.#canvas.width = options.width;
    this.#canvas.height = options.height;
    const context = this.#canvas.getContext('2d', { alpha: false });
    if (context === null) {
      throw new Error('The browser gave no 2D canvas context');
    }
    this.#context = context;
    this.stream = this.#canvas.captureStream(options.frameRate);
  }

  render(sources: readonly RecordingSource[]): void {
    this.#syncTiles(sources);
    const { width, height } = this.#canvas;
    const context = this.#context;
    context.fillStyle = BACKGROUND;
    context.fillRect(0, 0, width, height);
    const labels = new Map(sources.map((source) => [source.id, source.label]));
    const rects = gridLayout(
      sources.map((source) => ({ id: source.id, isScreen: source.isScreen === true })),
      width,
      height,
    );
    for (const rect of rects) {
      this.#drawTile(rect, labels.get(rect.id) ?? '');
    }
  }

  close(): void {
    for (const tile of this.#tiles.values()) {
      releaseElement(tile.element);
    }
    this.#tiles.clear();
    for (const track of this.stream.getTracks()) {
      track.stop();
    }
  }

  #syncTiles(sources: readonly RecordingSource[]): void {
    const present = new Set<string>();
    for (const source of sources) {
      present.add(source.id);
      const track = liveVideoTrack(source.video);
      let tile = this.#tiles.get(source.id);
      if (tile === undefined) {
        tile = { element: createVideoElement(), track: null };
        this.#tiles.set(source.id, tile);
      }
      if (tile.track !== track) {
        tile.track = track;
        tile.element.srcObject = track === null ? null : new MediaStream([track]);
        if (track !== null) {
          tile.element.play().catch(() => undefined);
        }
      }
    }
    for (const [id, tile] of this.#tiles) {
      if (!present.has(id)) {
        releaseElement(tile.element);
        this.#tiles.delete(id);
      }
    }
  }

  #drawTile(rect: TileRect, label: string): void {
    const context = this.#context;
    context.fillStyle = TILE_BACKGROUND;
    context.fillRect(rect.x, rect.y, rect.width, rect.height);
    const tile = this.#tiles.get(rect.id);
    const element = tile?.element;
    const hasFrame = tile?.track !== null && element !== undefined && element.readyState >= 2 && element.videoWidth > 0;
    if (hasFrame) {
      const at = fitContain(rect, element.videoWidth, element.videoHeight);
      context.drawImage(element, at.x, at.y, at.width, at.height);
    } else {
      this.#drawInitial(rect, label);
    }
    this.#drawLabel(rect, label);
  }

  #drawInitial(rect: TileRect, label: string): void {
    const context = this.#context;
    const initial = [...label.trim()][0]?.toUpperCase() ?? '?';
    context.fillStyle = TEXT;
    context.font = `${Math.max(12, Math.round(rect.height / 3))}px sans-serif`;
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(initial, rect.x + rect.width / 2, rect.y + rect.height / 2);
  }

  #drawLabel(rect: TileRect, label: string): void {
    if (label === '' || rect.height < 24) {
      return;
    }
    const context = this.#context;
    const size = Math.max(10, Math.min(20, Math.round(rect.height / 12)));
    context.font = `${size}px sans-serif`;
    context.textAlign = 'left';
    context.textBaseline = 'middle';
    const padding = Math.round(size / 2);
    const textWidth = Math.min(context.measureText(label).width, rect.width - 3 * padding);
    context.fillStyle = 'rgba(0, 0, 0, 0.55)';
    context.fillRect(rect.x + padding, rect.y + rect.height - 2 * size - padding, textWidth + 2 * padding, 2 * size);
    context.fillStyle = TEXT;
    context.fillText(label, rect.x + 2 * padding, rect.y + rect.height - size - padding, rect.width - 4 * padding);
  }
}

function createVideoElement(): HTMLVideoElement {
  const element = document.createElement('video');
  element.muted = true;
  element.playsInline = true;
  element.autoplay = true;
  return element;
}

function releaseElement(element: HTMLMediaElement): void {
  element.pause();
  element.srcObject = null;
}
