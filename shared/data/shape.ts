/**
 * A dataset's input shape, as model spec v2 reads it: `[features]` for vector data, or
 * `[channels, height, width]` for images, whose x rows are laid out in C, H, W order
 * (channel-major: all of channel 0 row by row, then channel 1 …), as PyTorch and ONNX expect.
 */
export { formatShape, shapeSize, type Shape as InputShape } from '../nn/spec.js';

/**
 * Parses an image shape written CxHxW ("1x28x28", "3×32×32"); null when it is not three whole
 * numbers ≥ 1 with 1 or 3 channels (the channel counts images have in the studio).
 */
export function parseImageShape(text: string): [1 | 3, number, number] | null {
  const match = /^\s*(\d+)\s*[x×]\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(text);
  if (!match) return null;
  const [c, h, w] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if ((c !== 1 && c !== 3) || h < 1 || w < 1) return null;
  return [c as 1 | 3, h, w];
}

/**
 * Image bytes stored channels last ([height][width][channels], as decoders and IDX give them)
 * reordered into a CHW float row: out[c·H·W + y·W + x] = f(src[(y·W + x)·C + c]).
 * `f` is the preprocessing of one byte; out is written at `at`.
 */
export function hwcToChw(
  src: ArrayLike<number>, srcAt: number, channels: number, height: number, width: number,
  out: Float32Array, at: number, f: (byte: number) => number,
): void {
  const plane = height * width;
  if (channels === 1) {
    for (let p = 0; p < plane; p++) out[at + p] = f(src[srcAt + p]);
    return;
  }
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < channels; c++) out[at + c * plane + p] = f(src[srcAt + p * channels + c]);
  }
}
