import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestColumns, fitContain, gridLayout, type TileRect } from './grid-layout.js';

const W = 1280;
const H = 720;
const tiles = (count: number): { id: string }[] => Array.from({ length: count }, (_, i) => ({ id: `p${i}` }));

function overlaps(a: TileRect, b: TileRect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function assertSane(rects: TileRect[], width: number, height: number, gap: number): void {
  for (const [i, rect] of rects.entries()) {
    assert.ok(rect.x >= gap && rect.y >= gap, `${rect.id} keeps the edge gap`);
    assert.ok(rect.x + rect.width <= width - gap + 1 && rect.y + rect.height <= height - gap + 1, `${rect.id} is inside`);
    assert.ok(rect.width > 0 && rect.height > 0);
    for (const other of rects.slice(i + 1)) {
      assert.ok(!overlaps(rect, other), `${rect.id} and ${other.id} do not overlap`);
    }
  }
}

test('nothing to place, or no canvas, gives no tiles', () => {
  assert.deepEqual(gridLayout([], W, H), []);
  assert.deepEqual(gridLayout(tiles(2), 0, H), []);
});

test('one tile fills the canvas inside the gap', () => {
  assert.deepEqual(gridLayout(tiles(1), W, H), [{ id: 'p0', x: 4, y: 4, width: 1272, height: 712 }]);
});

test('two tiles sit side by side on a wide canvas, stacked on a tall one', () => {
  const [a, b] = gridLayout(tiles(2), W, H);
  assert.equal(a!.y, b!.y);
  assert.ok(b!.x > a!.x + a!.width - 1);
  const [c, d] = gridLayout(tiles(2), 720, 1280);
  assert.equal(c!.x, d!.x);
  assert.ok(d!.y >= c!.y + c!.height);
});

test('three tiles: two on top, the third centred below', () => {
  const rects = gridLayout(tiles(3), W, H);
  assert.equal(rects[0]!.y, rects[1]!.y);
  const third = rects[2]!;
  assert.ok(third.y > rects[0]!.y);
  assert.ok(Math.abs(third.x + third.width / 2 - W / 2) <= 3, 'centred');
  assert.equal(third.width, rects[0]!.width);
});

test('every count up to 16 keeps tiles inside the canvas, apart, and of one size', () => {
  for (let count = 1; count <= 16; count++) {
    const rects = gridLayout(tiles(count), W, H);
    assert.deepEqual(
      rects.map((r) => r.id),
      tiles(count).map((t) => t.id),
    );
    assertSane(rects, W, H, 4);
    const widths = rects.map((r) => r.width);
    assert.ok(Math.max(...widths) - Math.min(...widths) <= 1, `count ${count}: equal widths`);
  }
});

test('the column count gives the largest 16:9 video', () => {
  assert.equal(bestColumns(1, W, H), 1);
  assert.equal(bestColumns(4, W, H), 2);
  assert.equal(bestColumns(7, W, H), 3);
  assert.equal(bestColumns(9, W, H), 3);
  assert.equal(bestColumns(3, 720, 1280), 1);
});

test('a shared screen takes the large spot; cameras go to a centred strip below it', () => {
  const rects = gridLayout([{ id: 'a' }, { id: 's', isScreen: true }, { id: 'b' }], W, H);
  assert.deepEqual(
    rects.map((r) => r.id),
    ['s', 'a', 'b'],
  );
  assertSane(rects, W, H, 4);
  const [screen, a, b] = rects as [TileRect, TileRect, TileRect];
  assert.equal(screen.width, W - 8);
  assert.ok(screen.height > 3 * a.height, 'the screen is the large spot');
  assert.ok(a.y >= screen.y + screen.height, 'the strip is below the screen');
  assert.equal(a.y, b.y);
  assert.equal(a.height, b.height);
  const middle = (a.x + b.x + b.width) / 2;
  assert.ok(Math.abs(middle - W / 2) <= 3, 'the strip is centred');
});

test('a screen alone fills the canvas; a second screen joins the strip', () => {
  assert.deepEqual(gridLayout([{ id: 's', isScreen: true }], W, H), [{ id: 's', x: 4, y: 4, width: 1272, height: 712 }]);
  const rects = gridLayout(
    [
      { id: 's1', isScreen: true },
      { id: 's2', isScreen: true },
    ],
    W,
    H,
  );
  assert.ok(rects[0]!.height > rects[1]!.height);
});

test('many cameras under a screen shrink to fit the strip', () => {
  const rects = gridLayout([{ id: 's', isScreen: true }, ...tiles(20)], W, H);
  assertSane(rects, W, H, 4);
});

test('a video is fitted whole and centred in its tile', () => {
  const rect = { id: 'x', x: 4, y: 4, width: 1272, height: 712 };
  assert.deepEqual(fitContain(rect, 640, 480), { x: 166, y: 4, width: 949, height: 712 });
  assert.deepEqual(fitContain(rect, 1920, 400), { x: 4, y: 228, width: 1272, height: 265 });
  assert.equal(fitContain(rect, 0, 0).width, 0);
});
