/**
 * Data augmentation while training: each image of a batch moved by a few pixels and, optionally,
 * mirrored left to right, drawn afresh at every step so the network sees a slightly different
 * picture of every sample each epoch. Applied to training batches only; evaluation, validation
 * and prediction always see the images as they are.
 *
 * For image c, row y, column x of an output image with shift (dy, dx) and flip f:
 *   xs = x − dx, then xs = W − 1 − xs when flipped;  ys = y − dy
 *   out[c, y, x] = in[c, ys, xs] when (ys, xs) is inside the image, else 0 (zero fill)
 * dy and dx are uniform integers in [−shift, shift]; f is true with probability ½.
 * (Zero is black for pixels scaled to [0, 1], the training mean after z-scoring.)
 */
import { z } from 'zod';
import { DataError } from './errors.js';
import type { Random } from './random.js';

export const AugmentSchema = z.object({
  /** The largest shift in pixels, each way, along each axis (0 = none). */
  shift: z.number().int().min(0).max(16).default(0),
  /** Mirror half of the images left to right (not for digits or text, whose mirror images mean something else). */
  flip: z.boolean().default(false),
});
export type AugmentOptions = z.input<typeof AugmentSchema>;

/** True when the options change anything (so a trainer can skip the copy). */
export function augments(options: AugmentOptions | undefined): boolean {
  return !!options && ((options.shift ?? 0) > 0 || options.flip === true);
}

/**
 * A batch x[rows × C·H·W] (CHW rows, as datasets of shape [C, H, W] hold them) with each image
 * shifted and flipped at random. Pure: x is not changed; the result goes to `out` (allocated when
 * not given, may not be x). Draws, per image in order: dy, dx, then the flip (when enabled), so
 * the same seed gives the same batch.
 */
export function augmentBatch(
  x: Float32Array, rows: number, shape: readonly number[], options: AugmentOptions, rng: Random,
  out: Float32Array = new Float32Array(x.length),
): Float32Array {
  if (shape.length !== 3) throw new DataError(`augmentation needs images of shape [channels, height, width], not inputs of shape [${shape.join(', ')}]`);
  const [C, H, W] = shape;
  const size = C * H * W;
  if (x.length < rows * size || out.length < rows * size) throw new DataError(`augmentation: a batch of ${rows} images of ${C}×${H}×${W} needs ${rows * size} values, got ${Math.min(x.length, out.length)}`);
  if (out === x) throw new DataError('augmentation writes to a separate array, not its input');
  const shift = options.shift ?? 0;
  const flip = options.flip ?? false;
  for (let r = 0; r < rows; r++) {
    const dy = shift > 0 ? rng.int(2 * shift + 1) - shift : 0;
    const dx = shift > 0 ? rng.int(2 * shift + 1) - shift : 0;
    const mirrored = flip && rng.uniform() < 0.5;
    const base = r * size;
    for (let c = 0; c < C; c++) {
      const plane = base + c * H * W;
      for (let y = 0; y < H; y++) {
        const ys = y - dy;
        const to = plane + y * W;
        if (ys < 0 || ys >= H) {
          out.fill(0, to, to + W);
          continue;
        }
        const from = plane + ys * W;
        for (let col = 0; col < W; col++) {
          let xs = col - dx;
          if (mirrored) xs = W - 1 - xs;
          out[to + col] = xs >= 0 && xs < W ? x[from + xs] : 0;
        }
      }
    }
  }
  return out;
}
