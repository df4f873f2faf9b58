/**
 * The 2-D convolution layer's forward and backward passes (cross-correlation, as every framework
 * computes it), NCHW. The route that defines them is im2col and the Backend's matrix products:
 *
 *   col_b[Ck²×P]  = im2col(inp_b)                          (P = OH·OW output pixels)
 *   out_b[OC×P]   = W[OC×Ck²] · col_b  + b[oc] on row oc   (matmul)
 *   ∂W[OC×Ck²]   += Σ_b ∂out_b · col_bᵀ                    (matmulTransB, accumulating)
 *   ∂b[OC]       += Σ_b Σ_p ∂out_b                          (sumChannels)
 *   ∂col_b        = Wᵀ · ∂out_b,  ∂inp = col2im(∂col)        (matmulTransA, then col2im)
 *
 * one product per image, so each writes its NCHW output in place (no transposes). Scratch
 * (conv2dScratch): `col`, B·C·k²·OH·OW floats, filled by the forward pass and read by the backward
 * pass (the layer's cache; 17.8 MB for the cnn benchmark's second layer at batch 128); `dcol`, as
 * big, used only inside one backward pass, so one buffer of the largest layer's size serves every
 * layer of a network. A backend with its own whole-batch convolution (Backend.conv2dForward and
 * conv2dBackward: the WebAssembly one, implicit GEMMs that never store col) needs neither.
 */
import type { Backend } from '../backend.js';
import type { ConvGeometry } from './geometry.js';
import { addChannelBiasJs, col2imJs, im2colJs, sumChannelsJs } from './im2col.js';

/** Floats of each scratch buffer a convolution of geometry g needs on backend be (see above). */
export function conv2dScratch(g: ConvGeometry, be?: Backend): { col: number; dcol: number } {
  if (be?.conv2dForward && be.conv2dBackward) return { col: 0, dcol: 0 };
  const n = g.B * g.C * g.k * g.k * g.OH * g.OW;
  return { col: n, dcol: n };
}

/**
 * out[B×OC×OH×OW] = inp[B×C×H×W] ⋆ weight[OC×C×k×k] (+ bias[OC]); fills col (the backward pass's
 * cache, conv2dScratch(g, be).col floats). With `activated`, where the backend fuses the activation
 * `activated.name` it writes activated.out = f(out) instead of out and returns true (see
 * Backend.conv2dForward: f' is then read from activated.out); false: out is written, f is the caller's.
 * Buffers from be.alloc run without copies.
 */
export function conv2dForward(be: Backend, out: Float32Array, col: Float32Array, inp: Float32Array,
  weight: Float32Array, bias: Float32Array | null, g: ConvGeometry, activated?: { out: Float32Array; name: string }): boolean {
  if (be.conv2dForward && be.conv2dBackward) return be.conv2dForward(out, inp, weight, bias, g, activated?.out ?? null, activated?.name ?? 'identity');
  const { B, C, OC, k, OH, OW } = g;
  const P = OH * OW, R = C * k * k;
  im2colJs(col, inp, g);
  for (let b = 0; b < B; b++) {
    // out_b[OC×P] = W[OC×R] · col_b[R×P]
    be.matmul(out.subarray(b * OC * P, (b + 1) * OC * P), weight, col.subarray(b * R * P, (b + 1) * R * P), OC, R, P);
  }
  if (bias) addChannelBiasJs(out, bias, B, OC, P);
  return false;
}

/**
 * After conv2dForward with the same col and inp: dweight[OC×C×k×k] += ∂L/∂W, dbias[OC] += ∂L/∂b
 * (when given), and dinp[B×C×H×W] = ∂L/∂inp (overwritten; null for a first layer, which skips that
 * product and col2im), from dout[B×OC×OH×OW] = ∂L/∂out. dcol: conv2dScratch(g, be).dcol floats.
 */
export function conv2dBackward(be: Backend, dinp: Float32Array | null, dweight: Float32Array, dbias: Float32Array | null,
  dcol: Float32Array, dout: Float32Array, col: Float32Array, inp: Float32Array, weight: Float32Array, g: ConvGeometry): void {
  const { B, C, OC, k, OH, OW } = g;
  const P = OH * OW, R = C * k * k;
  if (dbias) {
    if (be.sumChannels) be.sumChannels(dbias, dout, B, OC, P, true);
    else sumChannelsJs(dbias, dout, B, OC, P, true);
  }
  if (be.conv2dForward && be.conv2dBackward) return be.conv2dBackward(dinp, dweight, dout, inp, weight, g);
  for (let b = 0; b < B; b++) {
    const doutB = dout.subarray(b * OC * P, (b + 1) * OC * P);
    // dW[OC×R] += dout_b[OC×P] · col_b[R×P]ᵀ
    be.matmulTransB(dweight, doutB, col.subarray(b * R * P, (b + 1) * R * P), OC, R, P, true);
    // dcol_b[R×P] = W[OC×R]ᵀ · dout_b[OC×P]
    if (dinp) be.matmulTransA(dcol.subarray(b * R * P, (b + 1) * R * P), weight, doutB, OC, R, P, false);
  }
  if (dinp) col2imJs(dinp, dcol, g);
}
