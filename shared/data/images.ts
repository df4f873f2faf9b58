/**
 * Image datasets (IDX files, folders of PNG/JPEG, the MNIST sample) in memory, and the pixel
 * maths shared by loading and prediction: RGBA → grayscale/RGB, and resizing by area averaging.
 * Decoding PNG/JPEG needs Node libraries and lives in main/data/images.ts.
 */

/**
 * Labelled images of one size. Pixels are bytes (0–255; 1 byte each keeps 60,000 MNIST digits at
 * 47 MB), laid out image after image, each row-major with channels last: [count][height][width][channels].
 * Preprocessing turns them into floats in [0, 1].
 */
export interface ImageSet {
  width: number;
  height: number;
  channels: 1 | 3;
  count: number;
  pixels: Uint8Array;
  /** Index into `classes` per image. */
  labels: Int32Array;
  classes: string[];
  /** Where each image came from (file path, or "file.idx record 7"), when known. */
  names?: string[];
}

/** A decoded image as PNG/JPEG decoders give it: 4 bytes (R, G, B, A) per pixel, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Luma weights of ITU-R BT.601, the usual RGB → gray. */
const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * RGBA bytes → `channels` floats per pixel (0–255), transparent areas composited over white
 * (how the image looks in a viewer).
 */
export function rgbaToChannels(image: RgbaImage, channels: 1 | 3): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n * channels);
  const d = image.data;
  for (let p = 0; p < n; p++) {
    const a = d[4 * p + 3] / 255;
    const r = d[4 * p] * a + 255 * (1 - a);
    const g = d[4 * p + 1] * a + 255 * (1 - a);
    const b = d[4 * p + 2] * a + 255 * (1 - a);
    if (channels === 1) out[p] = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
    else {
      out[3 * p] = r;
      out[3 * p + 1] = g;
      out[3 * p + 2] = b;
    }
  }
  return out;
}

/** For one axis: each output pixel's source pixels and the share of each (weights sum to 1). */
function areaWeights(src: number, dst: number): { index: Int32Array; weight: Float32Array; start: Int32Array } {
  const scale = src / dst;
  const starts = new Int32Array(dst + 1);
  const index: number[] = [];
  const weight: number[] = [];
  for (let o = 0; o < dst; o++) {
    starts[o] = index.length;
    const lo = o * scale;
    const hi = (o + 1) * scale;
    for (let s = Math.floor(lo); s < Math.min(src, Math.ceil(hi)); s++) {
      const overlap = Math.min(hi, s + 1) - Math.max(lo, s);
      if (overlap > 1e-9) {
        index.push(s);
        weight.push(overlap / scale);
      }
    }
  }
  starts[dst] = index.length;
  return { index: Int32Array.from(index), weight: Float32Array.from(weight), start: starts };
}

/**
 * Resizes by area averaging: each output pixel is the mean of the source area it covers
 * (fractional pixels weighted by their overlap). Downscaling keeps thin strokes instead of
 * skipping them; upscaling repeats pixels. Separable: rows first, then columns.
 * src[sh][sw][C] → out[dh][dw][C].
 */
export function resizeArea(src: ArrayLike<number>, sw: number, sh: number, C: number, dw: number, dh: number): Float32Array {
  const wx = areaWeights(sw, dw);
  const wy = areaWeights(sh, dh);
  const rows = new Float32Array(sh * dw * C); // horizontal pass: [sh][dw][C]
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < dw; x++) {
      for (let k = wx.start[x]; k < wx.start[x + 1]; k++) {
        const s = (y * sw + wx.index[k]) * C;
        const d = (y * dw + x) * C;
        for (let c = 0; c < C; c++) rows[d + c] += wx.weight[k] * src[s + c];
      }
    }
  }
  const out = new Float32Array(dh * dw * C); // vertical pass
  for (let y = 0; y < dh; y++) {
    for (let k = wy.start[y]; k < wy.start[y + 1]; k++) {
      const w = wy.weight[k];
      const s = wy.index[k] * dw * C;
      const d = y * dw * C;
      for (let j = 0; j < dw * C; j++) out[d + j] += w * rows[s + j];
    }
  }
  return out;
}

/**
 * A decoded image as one dataset sample: converted to `channels`, resized to width × height,
 * rounded to bytes. Written into `out` at `offset` when given.
 */
export function imageToSample(
  image: RgbaImage,
  width: number,
  height: number,
  channels: 1 | 3,
  out = new Uint8Array(width * height * channels),
  offset = 0,
): Uint8Array {
  let px = rgbaToChannels(image, channels);
  if (image.width !== width || image.height !== height) px = resizeArea(px, image.width, image.height, channels, width, height);
  for (let i = 0; i < px.length; i++) out[offset + i] = Math.min(255, Math.max(0, Math.round(px[i])));
  return out;
}

/** Image i of the set as its own byte array (a view, no copy). */
export function imageAt(set: ImageSet, i: number): Uint8Array {
  const size = set.width * set.height * set.channels;
  return set.pixels.subarray(i * size, (i + 1) * size);
}
