/**
 * Pooling layers over `planes` = B·C planes of H×W (NCHW: a plane is one channel of one image,
 * so pooling never mixes channels), windows size×size every `stride` pixels, no padding:
 * OH = ⌊(H − size)/stride⌋ + 1 (geometry.ts poolAxis).
 *
 * - max pooling keeps each window's maximum and remembers where it was (argmax, an index into
 *   inp); the backward pass routes each output's gradient to that one input (the first maximum in
 *   row-major order wins a tie), adding where overlapping windows picked the same pixel;
 * - average pooling: the window's mean; the gradient spreads evenly, 1/size² to each pixel;
 * - global average pooling [B×C×H×W] → [B×C]: the mean of each plane.
 * Backward passes overwrite dinp.
 */
import type { Backend } from '../backend.js';

/** out[planes×OH×OW] = window maxima of inp[planes×H×W], argmax[same] = their indices in inp. */
export function maxPoolForward(be: Backend, out: Float32Array, argmax: Int32Array, inp: Float32Array, planes: number,
  H: number, W: number, size: number, stride: number, OH: number, OW: number): void {
  if (be.maxPoolForward) be.maxPoolForward(out, argmax, inp, planes, H, W, size, stride, OH, OW);
  else maxPoolForwardJs(out, argmax, inp, planes, H, W, size, stride, OH, OW);
}

/**
 * dinp[planes×H×W] = ∂L/∂inp from dout = ∂L/∂out and the forward pass's argmax. With `gate` (this
 * pool's output, when its input is a ReLU's): each output's gradient is routed only where
 * gate[o] > 0, which makes dinp ∂L/∂z of that ReLU (relu'(z) = [a > 0], and at the window's
 * maximum a = gate[o]): the ReLU's backward pass folded into this one.
 */
export function maxPoolBackward(be: Backend, dinp: Float32Array, dout: Float32Array, argmax: Int32Array, planes: number,
  H: number, W: number, OH: number, OW: number, gate: Float32Array | null = null): void {
  if (be.maxPoolBackward) be.maxPoolBackward(dinp, dout, argmax, planes, H, W, OH, OW, gate);
  else maxPoolBackwardJs(dinp, dout, argmax, planes, H, W, OH, OW, gate);
}

/** The JavaScript definition of maxPoolForward (Backend.maxPoolForward computes the same). */
export function maxPoolForwardJs(out: Float32Array, argmax: Int32Array, inp: Float32Array, planes: number,
  H: number, W: number, size: number, stride: number, OH: number, OW: number): void {
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        const top = plane + oh * stride * W + ow * stride;
        let best = top, max = inp[top];
        for (let i = 0; i < size; i++) {
          for (let j = 0, at = top + i * W; j < size; j++, at++) {
            if (inp[at] > max) {
              max = inp[at];
              best = at;
            }
          }
        }
        out[o] = max;
        argmax[o] = best;
      }
    }
  }
}

/** The JavaScript definition of maxPoolBackward. */
export function maxPoolBackwardJs(dinp: Float32Array, dout: Float32Array, argmax: Int32Array, planes: number,
  H: number, W: number, OH: number, OW: number, gate: Float32Array | null = null): void {
  dinp.fill(0, 0, planes * H * W);
  const n = planes * OH * OW;
  if (gate) for (let o = 0; o < n; o++) dinp[argmax[o]] += gate[o] > 0 ? dout[o] : 0;
  else for (let o = 0; o < n; o++) dinp[argmax[o]] += dout[o];
}

/** out[planes×OH×OW] = window means of inp[planes×H×W]. */
export function avgPoolForward(out: Float32Array, inp: Float32Array, planes: number, H: number, W: number,
  size: number, stride: number, OH: number, OW: number): void {
  const scale = 1 / (size * size);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        const top = plane + oh * stride * W + ow * stride;
        let s = 0;
        for (let i = 0; i < size; i++) for (let j = 0, at = top + i * W; j < size; j++, at++) s += inp[at];
        out[o] = s * scale;
      }
    }
  }
}

/** dinp[planes×H×W] = ∂L/∂inp of average pooling: each output's gradient / size² to its window. */
export function avgPoolBackward(dinp: Float32Array, dout: Float32Array, planes: number, H: number, W: number,
  size: number, stride: number, OH: number, OW: number): void {
  const scale = 1 / (size * size);
  dinp.fill(0, 0, planes * H * W);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        const top = plane + oh * stride * W + ow * stride;
        const g = dout[o] * scale;
        for (let i = 0; i < size; i++) for (let j = 0, at = top + i * W; j < size; j++, at++) dinp[at] += g;
      }
    }
  }
}

/** out[planes] = the mean of each plane of inp[planes × HW] ([B×C×H×W] → [B×C]). */
export function globalAvgPoolForward(out: Float32Array, inp: Float32Array, planes: number, HW: number): void {
  for (let p = 0, at = 0; p < planes; p++) {
    let s = 0;
    for (let end = at + HW; at < end; at++) s += inp[at];
    out[p] = s / HW;
  }
}

/** dinp[planes × HW] = dout[plane] / HW on every pixel of each plane. */
export function globalAvgPoolBackward(dinp: Float32Array, dout: Float32Array, planes: number, HW: number): void {
  for (let p = 0, at = 0; p < planes; p++) {
    const g = dout[p] / HW;
    for (let end = at + HW; at < end; at++) dinp[at] = g;
  }
}
