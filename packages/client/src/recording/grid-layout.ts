/** One thing to place on the recording's canvas. */
export interface LayoutTile {
  id: string;
  /** A shared screen: takes the large spot, the others go to a strip below it. */
  isScreen?: boolean;
}

/** Where a tile is drawn, in canvas pixels (whole numbers). */
export interface TileRect {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GridOptions {
  /** Space between tiles and around the edge, in pixels. */
  gap?: number;
  /** Aspect ratio (width / height) the grid is shaped for; the videos are fitted into their cells. */
  aspect?: number;
  /** Height of the strip under a shared screen, as a fraction of the canvas height. */
  stripFraction?: number;
}

const DEFAULT_ASPECT = 16 / 9;

/**
 * Places `tiles` on a `width` x `height` canvas. Without a shared screen: an even grid whose column count
 * gives the largest video, the last row centred. With one: the first screen fills the top, and every other
 * tile (cameras, further screens) sits in one centred strip along the bottom.
 */
export function gridLayout(tiles: readonly LayoutTile[], width: number, height: number, options: GridOptions = {}): TileRect[] {
  const gap = options.gap ?? 4;
  const aspect = options.aspect ?? DEFAULT_ASPECT;
  if (tiles.length === 0 || width <= 0 || height <= 0) {
    return [];
  }
  const screen = tiles.find((tile) => tile.isScreen === true);
  if (screen === undefined) {
    return evenGrid(tiles, { x: 0, y: 0, width, height }, gap, aspect);
  }
  const others = tiles.filter((tile) => tile !== screen);
  if (others.length === 0) {
    return [inset(screen.id, { x: 0, y: 0, width, height }, gap)];
  }
  const stripHeight = Math.round(height * (options.stripFraction ?? 0.2));
  const main = inset(screen.id, { x: 0, y: 0, width, height: height - stripHeight + gap }, gap);
  return [main, ...strip(others, { x: 0, y: height - stripHeight, width, height: stripHeight }, gap, aspect)];
}

interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

function inset(id: string, area: Area, gap: number): TileRect {
  return {
    id,
    x: Math.round(area.x + gap),
    y: Math.round(area.y + gap),
    width: Math.max(0, Math.round(area.width - 2 * gap)),
    height: Math.max(0, Math.round(area.height - 2 * gap)),
  };
}

/** The column count whose cells hold the largest video of `aspect`. */
export function bestColumns(count: number, width: number, height: number, aspect = DEFAULT_ASPECT): number {
  let best = 1;
  let bestArea = -1;
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const cellWidth = width / columns;
    const cellHeight = height / rows;
    const videoWidth = Math.min(cellWidth, cellHeight * aspect);
    const area = videoWidth * (videoWidth / aspect);
    if (area > bestArea + 1e-6) {
      best = columns;
      bestArea = area;
    }
  }
  return best;
}

function evenGrid(tiles: readonly LayoutTile[], area: Area, gap: number, aspect: number): TileRect[] {
  const inner = { width: area.width - gap, height: area.height - gap };
  const columns = bestColumns(tiles.length, inner.width, inner.height, aspect);
  const rows = Math.ceil(tiles.length / columns);
  const cellWidth = inner.width / columns;
  const cellHeight = inner.height / rows;
  return tiles.map((tile, index) => {
    const row = Math.floor(index / columns);
    const inRow = row === rows - 1 ? tiles.length - row * columns : columns;
    const offset = ((columns - inRow) * cellWidth) / 2;
    const column = index % columns;
    return cell(tile.id, area.x + offset + column * cellWidth, area.y + row * cellHeight, cellWidth, cellHeight, gap);
  });
}

function strip(tiles: readonly LayoutTile[], area: Area, gap: number, aspect: number): TileRect[] {
  const cellHeight = area.height - gap;
  const cellWidth = Math.min((area.height - 2 * gap) * aspect + gap, (area.width - gap) / tiles.length);
  const offset = (area.width - gap - cellWidth * tiles.length) / 2;
  return tiles.map((tile, index) => cell(tile.id, area.x + offset + index * cellWidth, area.y, cellWidth, cellHeight, gap));
}

/** A cell whose left/top edge carries the gap; the right/bottom gap belongs to the next cell (or the edge). */
function cell(id: string, x: number, y: number, width: number, height: number, gap: number): TileRect {
  const left = Math.round(x + gap);
  const top = Math.round(y + gap);
  return {
    id,
    x: left,
    y: top,
    width: Math.max(0, Math.round(x + width) - left),
    height: Math.max(0, Math.round(y + height) - top),
  };
}

/** Where a `sourceWidth` x `sourceHeight` video is drawn inside `rect`, whole and centred (letterboxed). */
export function fitContain(rect: TileRect, sourceWidth: number, sourceHeight: number): Omit<TileRect, 'id'> {
  if (sourceWidth <= 0 || sourceHeight <= 0 || rect.width <= 0 || rect.height <= 0) {
    return { x: rect.x, y: rect.y, width: 0, height: 0 };
  }
  const scale = Math.min(rect.width / sourceWidth, rect.height / sourceHeight);
  const width = Math.round(sourceWidth * scale);
  const height = Math.round(sourceHeight * scale);
  return { x: rect.x + Math.round((rect.width - width) / 2), y: rect.y + Math.round((rect.height - height) / 2), width, height };
}
