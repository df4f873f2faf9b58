/**
 * The fully connected layer as a forward/backward pair over Float32Array with explicit sizes
 * (llm.c's `matmul_forward` / `matmul_backward`): B rows, C inputs, OC outputs. Backward
 * accumulates into the parameter gradients, so a step zeroes them once (one `fill(0)`).
 */
import type { Backend } from './backend.js';

/** out[B×OC] = inp[B×C] · weight[C×OC] + bias[OC] */
export function denseForward(be: Backend, out: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array | null,
  B: number, C: number, OC: number): void {
  be.matmul(out, inp, weight, B, C, OC, bias);
}

/**
 * dinp[B×C] = dout · weightᵀ;  dweight[C×OC] += inpᵀ · dout;  dbias[OC] += Σ_rows dout
 * (dinp null for the first layer: nothing upstream needs ∂L/∂x, so that product is skipped).
 * With `accumulate` false the parameter gradients are written (=) instead of added to.
 * dinp comes first, so dweight may be the weights themselves (fused SGD adds −η·∂W into them, plans/dense-passes.ts).
 */
export function denseBackward(be: Backend, dinp: Float32Array | null, dweight: Float32Array, dbias: Float32Array | null,
  dout: Float32Array, inp: Float32Array, weight: Float32Array, B: number, C: number, OC: number, accumulate = true): void {
  if (dinp) be.matmulTransB(dinp, dout, weight, B, C, OC, false);
  be.matmulTransA(dweight, inp, dout, B, C, OC, accumulate);
  if (dbias) be.sumRows(dbias, dout, B, OC, accumulate);
}
