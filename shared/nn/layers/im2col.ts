/**
 * The JavaScript definitions of the convolution layers' data-movement kernels (the Backend's
 * optional `im2col`, `col2im`, `addChannelBias`, `sumChannels`; a fast backend computes the same
 * numbers, the tests hold it to these). Layout, for B images (NCHW) and P = OH·OW output pixels:
 *
 *   col[b][r][p],  r = (c·k + i)·k + j  (C·k·k rows: W[OC×C×k×k]'s column order),  p = oh·OW + ow
 *   col[b][r][p] = inp[b][c][oh·stride + i − padTop][ow·stride + j − padLeft], 0 outside the image
 *
 * so that image b's convolution is one matrix product out_b[OC×P] = W[OC×Ck²] · col_b[Ck²×P].
 */
import type { ConvGeometry } from './geometry.js';

/** col[B × C·k·k × OH·OW] = the patches of inp[B×C×H×W] (see above). */
export function im2colJs(col: Float32Array, inp: Float32Array, g: ConvGeometry): void {
  const { B, C, H, W, k, stride, padTop, padLeft, OH, OW } = g;
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const plane = (b * C + c) * H * W;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * stride + i - padTop;
            if (ih < 0 || ih >= H) {
              col.fill(0, o, o + OW);
              o += OW;
              continue;
            }
            const row = plane + ih * W;
            for (let ow = 0, iw = j - padLeft; ow < OW; ow++, iw += stride) col[o++] = iw >= 0 && iw < W ? inp[row + iw] : 0;
          }
        }
      }
    }
  }
}

/**
 * dinp[B×C×H×W] = col2im(dcol[B × C·k·k × OH·OW]): each input pixel gets the sum of the entries
 * that im2col copied from it (the adjoint of im2col). Overwrites dinp.
 */
export function col2imJs(dinp: Float32Array, dcol: Float32Array, g: ConvGeometry): void {
  const { B, C, H, W, k, stride, padTop, padLeft, OH, OW } = g;
  dinp.fill(0, 0, B * C * H * W);
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const plane = (b * C + c) * H * W;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * stride + i - padTop;
            if (ih < 0 || ih >= H) {
              o += OW;
              continue;
            }
            const row = plane + ih * W;
            for (let ow = 0, iw = j - padLeft; ow < OW; ow++, iw += stride, o++) if (iw >= 0 && iw < W) dinp[row + iw] += dcol[o];
          }
        }
      }
    }
  }
}

/** out[b][c][p] += bias[c] over B×C planes of P values (a convolution's bias, per output channel). */
export function addChannelBiasJs(out: Float32Array, bias: Float32Array, B: number, C: number, P: number): void {
  for (let b = 0, o = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const v = bias[c];
      for (let end = o + P; o < end; o++) out[o] += v;
    }
  }
}

/** out[c] (+)= Σ_b Σ_p a[b][c][p] (a convolution's bias gradient). */
export function sumChannelsJs(out: Float32Array, a: Float32Array, B: number, C: number, P: number, accumulate: boolean): void {
  if (!accumulate) out.fill(0, 0, C);
  for (let b = 0, o = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let end = o + P; o < end; o++) s += a[o];
      out[c] += s;
    }
  }
}
