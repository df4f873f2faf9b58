// @ts-nocheck — AssemblyScript (compiled to WebAssembly by build/scripts/build-wasm.mjs), not TypeScript.
/**
 * Whole passes of a dense network in one call: the same kernels in the same order as the layer
 * by layer passes of shared/nn/model.ts (which stays the reference), driven by a layer table:
 *
 *   forward   Z = X·W + b,  A = f(Z)                                  for each layer
 *   backward  δ_L from the loss;  δ_prev = δ·Wᵀ ⊙ f'(Z_prev),  ∂W (+)= Xᵀ·δ,  ∂b (+)= Σ_rows δ
 *
 * Why: each call from JavaScript into the kernels costs about 0.2 µs, as much as a whole product
 * of 10×8×8. A small network's training step made about 20 such calls (tiny benchmark: 5 µs a
 * step); here it makes two. Products run on the calling thread only: the JavaScript side uses these
 * passes only for networks whose products are all too small to share with helper threads.
 */
import { matmul, matmulTransA, matmulTransB, ACT_NONE } from './gemm';
import { activationForward, activationBackward, softmaxRows, ACT_IDENTITY, ACT_SOFTMAX } from './elementwise';
import { sumRows } from './reduce';

/** δ_L = (y·Σt − t)·s row by row: cross-entropy through softmax (Σt = 1 for one-hot rows). */
export const DELTA_SOFTMAX_CE: i32 = 1;
/** δ_L = (y − t)·s: binary cross-entropy through sigmoid. */
export const DELTA_DIFFERENCE: i32 = 2;
/** δ_L = (y − t)·s ⊙ f'(z): squared error through any element-wise output activation. */
export const DELTA_DIFFERENCE_DERIVATIVE: i32 = 3;

/**
 * One layer of the table, written by the JavaScript side (shared/nn/wasm/wasm-backend.ts, in this
 * field order): sizes, activation (elementwise.ts ACT_*), the byte offsets of W and b inside the
 * flat parameter layout (b = −1: no bias; the same offsets address the gradients), and the
 * workspace's Z, A and δ buffers.
 */
@unmanaged
class Layer {
  inputs: i32;
  units: i32;
  act: i32;
  w: i32;
  b: i32;
  z: usize;
  a: usize;
  delta: usize;
}

@inline function layerAt(table: usize, i: i32): Layer {
  return changetype<Layer>(table + <usize>i * offsetof<Layer>());
}

/** Bytes of one table entry (the JavaScript side lays the table out with it). */
export function networkLayerBytes(): i32 {
  return <i32>offsetof<Layer>();
}

/** Forward through `layers` layers of x[rows × inputs]; params is the flat parameter buffer. */
export function networkForward(table: usize, layers: i32, params: usize, x: usize, rows: i32, scratch: usize): void {
  let inp = x;
  for (let i = 0; i < layers; i++) {
    const l = layerAt(table, i);
    const bias: usize = l.b < 0 ? 0 : params + <usize>l.b;
    // A in a pass of its own, not in the product's epilogue: these products are a few tiles, nearly
    // all edge tiles, where the epilogue costs more than one contiguous pass (tiny: 4.3M → 3.6M samples/s).
    matmul(l.z, inp, params + <usize>l.w, rows, l.inputs, l.units, bias, ACT_NONE, 0, scratch, false);
    if (l.act == ACT_SOFTMAX) softmaxRows(l.a, l.z, rows, l.units);
    else activationForward(l.act, l.a, l.z, rows * l.units);
    inp = l.a;
  }
}

/**
 * Backward after networkForward on the same table: gradients written into grads (same layout as
 * params), or added to them when `accumulate`. δ_L is multiplied by `scale` (the loss's 1/rows,
 * times −η when grads is params: gradient descent fused into the pass, shared/nn/model.ts
 * `descend`), which is why each layer's δ·Wᵀ comes before its weights' gradient.
 */
export function networkBackward(table: usize, layers: i32, params: usize, grads: usize, x: usize, t: usize, rows: i32,
  delta: i32, scale: f32, accumulate: bool, scratch: usize): void {
  const L = layers - 1;
  outputDelta(layerAt(table, L), t, rows, delta, scale);
  for (let i = L; i >= 0; i--) {
    const l = layerAt(table, i);
    if (i > 0) {
      const prev = layerAt(table, i - 1);
      matmulTransB(prev.delta, l.delta, params + <usize>l.w, rows, l.inputs, l.units, false, scratch, false);
      if (prev.act != ACT_IDENTITY) activationBackward(prev.act, prev.delta, prev.delta, prev.z, prev.a, rows * prev.units);
    }
    const inp = i == 0 ? x : layerAt(table, i - 1).a;
    matmulTransA(grads + <usize>l.w, inp, l.delta, rows, l.inputs, l.units, accumulate, scratch, false);
    if (l.b >= 0) sumRows(grads + <usize>l.b, l.delta, rows, l.units, accumulate);
  }
}

/** The output layer's δ for targets t (the loss's gradient, through its activation). */
function outputDelta(out: Layer, t: usize, rows: i32, rule: i32, scale: f32): void {
  const cols = out.units, n = rows * cols;
  const y = out.a, d = out.delta;
  if (rule == DELTA_SOFTMAX_CE) {
    for (let r = 0; r < rows; r++) {
      const o = <usize>(r * cols) << 2;
      let sumT: f32 = 0;
      for (let j = 0; j < cols; j++) sumT += load<f32>(t + o + (<usize>j << 2));
      for (let j = 0; j < cols; j++) {
        const at = o + (<usize>j << 2);
        store<f32>(d + at, (load<f32>(y + at) * sumT - load<f32>(t + at)) * scale);
      }
    }
    return;
  }
  const vs = f32x4.splat(scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(d + at, f32x4.mul(f32x4.sub(v128.load(y + at), v128.load(t + at)), vs));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(d + at, (load<f32>(y + at) - load<f32>(t + at)) * scale);
  }
  if (rule == DELTA_DIFFERENCE_DERIVATIVE && out.act != ACT_IDENTITY) activationBackward(out.act, d, d, out.z, y, n);
}
