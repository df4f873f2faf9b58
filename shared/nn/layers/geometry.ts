/**
 * The sizes of a convolution or pooling over a batch of NCHW images, and how `valid` and `same`
 * padding determine them (model spec v2): `valid` outH = ⌊(H − k)/stride⌋ + 1 with no padding;
 * `same` outH = ⌈H/stride⌉, padded by max((outH − 1)·stride + k − H, 0) rows in all, the top
 * getting ⌊total/2⌋ (TensorFlow's and ONNX's SAME_UPPER: the odd row goes to the bottom).
 */

/** A convolution's sizes: inp[B×C×H×W] * W[OC×C×k×k] → out[B×OC×OH×OW]. */
export interface ConvGeometry {
  B: number;
  C: number;
  H: number;
  W: number;
  OC: number;
  /** Square kernel k×k. */
  k: number;
  stride: number;
  /** Zero rows above the image and zero columns left of it (the rest of the padding is implied by OH, OW). */
  padTop: number;
  padLeft: number;
  OH: number;
  OW: number;
}

/** Output size and leading pad of one spatial axis of length n. */
export function convAxis(n: number, k: number, stride: number, padding: 'valid' | 'same'): { out: number; padBefore: number } {
  if (padding === 'same') {
    const out = Math.ceil(n / stride);
    const total = Math.max((out - 1) * stride + k - n, 0);
    return { out, padBefore: Math.floor(total / 2) };
  }
  return { out: Math.floor((n - k) / stride) + 1, padBefore: 0 };
}

/** The geometry of a conv2d layer with OC filters of k×k over B images of C×H×W. */
export function convGeometry(B: number, C: number, H: number, W: number, OC: number, k: number, stride = 1,
  padding: 'valid' | 'same' = 'valid'): ConvGeometry {
  const rows = convAxis(H, k, stride, padding);
  const cols = convAxis(W, k, stride, padding);
  return { B, C, H, W, OC, k, stride, padTop: rows.padBefore, padLeft: cols.padBefore, OH: rows.out, OW: cols.out };
}

/** Pooling output size of one axis: ⌊(n − size)/stride⌋ + 1 (no padding). */
export function poolAxis(n: number, size: number, stride: number): number {
  return Math.floor((n - size) / stride) + 1;
}
