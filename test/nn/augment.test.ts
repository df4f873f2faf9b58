/** Augmentation: random shifts (zero fill) and horizontal flips over CHW batches, seeded. */
import { describe, expect, it } from 'vitest';
import { augmentBatch, augments } from '../../shared/nn/augment.js';
import { Random } from '../../shared/nn/random.js';

/** Image r of a batch: 3 channels of 4×5, value 1000·r + 100·c + 10·y + x (never 0). */
function batch(rows: number, C = 3, H = 4, W = 5): Float32Array {
  const x = new Float32Array(rows * C * H * W);
  for (let r = 0; r < rows; r++) for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let col = 0; col < W; col++) {
    x[((r * C + c) * H + y) * W + col] = 1000 * r + 100 * c + 10 * y + col + 1;
  }
  return x;
}

/** The textbook picture of a move: pixel (y, x) comes from (y − dy, x − dx), else 0; then mirrored if asked. */
function moved(image: Float32Array, C: number, H: number, W: number, dy: number, dx: number, mirror: boolean): number[] {
  const out: number[] = [];
  for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let col = 0; col < W; col++) {
    const xs = mirror ? W - 1 - (col - dx) : col - dx;
    const ys = y - dy;
    out.push(ys >= 0 && ys < H && xs >= 0 && xs < W ? image[(c * H + ys) * W + xs] : 0);
  }
  return out;
}

/** Which (dy, dx, mirror) within `shift` turns `image` into `result`, or null when none does. */
function whichMove(image: Float32Array, result: Float32Array, shift: number, flips: boolean): string | null {
  for (let dy = -shift; dy <= shift; dy++) for (let dx = -shift; dx <= shift; dx++) for (const m of flips ? [false, true] : [false]) {
    const expected = moved(image, 3, 4, 5, dy, dx, m);
    if (expected.every((v, i) => v === result[i])) return `${dy},${dx},${m}`;
  }
  return null;
}

describe('augmentBatch', () => {
  const size = 3 * 4 * 5;

  it('moves every image by at most `shift` pixels, all channels alike, filling with zeros; every move occurs', () => {
    const rows = 200;
    const x = batch(rows);
    const out = augmentBatch(x, rows, [3, 4, 5], { shift: 1 }, new Random(7));
    expect(out.length).toBe(x.length);
    const seen = new Set<string>();
    for (let r = 0; r < rows; r++) {
      const move = whichMove(x.subarray(r * size, (r + 1) * size), out.subarray(r * size, (r + 1) * size), 1, false);
      expect(move).not.toBeNull();
      seen.add(move!);
    }
    expect(seen.size).toBe(9); // all of (−1…1)² with 200 images
  });

  it('flips about half of the images left to right and leaves the rest as they are', () => {
    const rows = 400;
    const x = batch(rows);
    const out = augmentBatch(x, rows, [3, 4, 5], { flip: true }, new Random(3));
    let mirrored = 0;
    for (let r = 0; r < rows; r++) {
      const move = whichMove(x.subarray(r * size, (r + 1) * size), out.subarray(r * size, (r + 1) * size), 0, true);
      expect(move === '0,0,false' || move === '0,0,true').toBe(true);
      if (move === '0,0,true') mirrored++;
    }
    expect(mirrored).toBeGreaterThan(150);
    expect(mirrored).toBeLessThan(250);
  });

  it('is deterministic per seed, differs between seeds, and never changes its input', () => {
    const x = batch(50);
    const copy = Float32Array.from(x);
    const a = augmentBatch(x, 50, [3, 4, 5], { shift: 2, flip: true }, new Random(11));
    const b = augmentBatch(x, 50, [3, 4, 5], { shift: 2, flip: true }, new Random(11));
    const c = augmentBatch(x, 50, [3, 4, 5], { shift: 2, flip: true }, new Random(12));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(x)).toEqual(Array.from(copy));
  });

  it('a shift of 2 on a 1×3×3 image: the written-out case', () => {
    // With shift 2 on a 3×3 image some draws empty it and some keep a corner; each result is one of the moves.
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const results = new Set<string>();
    const rng = new Random(5);
    for (let k = 0; k < 300; k++) results.add(Array.from(augmentBatch(x, 1, [1, 3, 3], { shift: 2 }, rng)).join(' '));
    expect(results.has('1 2 3 4 5 6 7 8 9')).toBe(true); // no move
    expect(results.has('0 0 0 0 0 0 0 0 1')).toBe(true); // down 2, right 2: only the top-left pixel is left, bottom right
    expect(results.has('0 0 0 1 2 3 4 5 6')).toBe(true); // down 1
    expect(results.has('2 3 0 5 6 0 8 9 0')).toBe(true); // left 1
    expect(results.size).toBe(25);
  });

  it('refuses vector inputs and a batch too short for its shape', () => {
    expect(() => augmentBatch(new Float32Array(8), 2, [4], { shift: 1 }, new Random(1))).toThrow('augmentation needs images of shape [channels, height, width], not inputs of shape [4]');
    expect(() => augmentBatch(new Float32Array(8), 1, [1, 3, 3], { shift: 1 }, new Random(1))).toThrow('needs 9 values, got 8');
  });

  it('augments() is false for the default (off) and true once a shift or flip is asked for', () => {
    expect(augments(undefined)).toBe(false);
    expect(augments({})).toBe(false);
    expect(augments({ shift: 0, flip: false })).toBe(false);
    expect(augments({ shift: 2 })).toBe(true);
    expect(augments({ flip: true })).toBe(true);
  });
});
