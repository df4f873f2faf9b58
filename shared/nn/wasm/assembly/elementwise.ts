// @ts-nocheck — AssemblyScript (compiled to WebAssembly by build/scripts/build-wasm.mjs), not TypeScript.
/**
 * Element-wise kernels over flat float32 buffers: activations and their derivatives, and the
 * optimizers' updates (the same formulas as shared/nn/activations.ts and optimizers.ts, four lanes
 * at a time). Memory-bound and short: one thread. Each loop does 4 lanes, then a scalar tail.
 *
 * No subnormals: WebAssembly has no flush-to-zero mode, and on x86 every operation that reads or
 * produces a subnormal float takes a microcode assist (~100× slower). An optimizer moment whose
 * gradient has gone to 0 (a dead ReLU unit) decays geometrically (0.9ᵗ) into that range after
 * ~800 steps, and one Adam step over the mlp benchmark's 235k weights then went from 0.16 ms to
 * 6.8 ms (measured). So the caller runs `flushTiny` over optimizer state now and then (a moment
 * needs dozens of steps to decay from 1e-20 to a subnormal), and sigmoid returns 0 instead of a
 * subnormal. A moment below 1e-20 moves a weight by < 1e-12 of itself: invisible in float32. */

import { madd } from './simd';

export const ACT_SIGMOID: i32 = 1;
export const ACT_TANH: i32 = 2;
export const ACT_RELU: i32 = 3;
/** f(x) = x: nothing to compute either way (whole-network passes, network.ts). */
export const ACT_IDENTITY: i32 = 4;
/** Row-wise: see `softmaxRows`. */
export const ACT_SOFTMAX: i32 = 5;

/** The smallest normal float32: sigmoid outputs below it are 0. */
const FLT_MIN: f32 = 1.17549435e-38;

/** x with the lanes of magnitude below `tiny` set to 0 (NaN lanes kept: divergence stays visible). */
@inline function flush(x: v128, tiny: f32): v128 {
  return v128.andnot(x, f32x4.lt(f32x4.abs(x), f32x4.splat(tiny)));
}

/** p[i] = 0 where |p[i]| < tiny, for i < n (optimizer state; see above). */
export function flushTiny(p: usize, n: i32, tiny: f32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = p + (<usize>i << 2);
    v128.store(at, flush(v128.load(at), tiny));
  }
  for (; i < n; i++) {
    const at = p + (<usize>i << 2);
    if (Mathf.abs(load<f32>(at)) < tiny) store<f32>(at, 0);
  }
}

const LOG2E: f32 = 1.44269504088896341;
/** ln 2 split in a part with few mantissa bits (exact when multiplied by n) and a correction. */
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
/** e^88.7 overflows float32 and below e^−87.3 it is subnormal: inputs are clamped into [−87, 88]. */
const EXP_MAX: f32 = 88;
const EXP_MIN: f32 = -87;

/** 1.5·2²³: adding it to a float of magnitude < 2²² rounds it to an integer in the low mantissa bits. */
const ROUNDER: f32 = 12582912;

/**
 * e^x on four lanes (Cephes' expf): x = n·ln2 + r with |r| ≤ ½ln2, e^r by a degree-6 polynomial,
 * 2^n built in the exponent bits. About 1 ulp; inputs are clamped (no inf, no subnormals).
 *
 * Written for V8's code generator, which spends several instructions on some WebAssembly SIMD
 * operations to honour their exact semantics (measured: sigmoid over 5000 floats took 12 µs):
 * the clamp uses pmin/pmax (one minps/maxps each; NaN still flows through, as the left operand),
 * and n is rounded and turned into exponent bits with the 1.5·2²³ trick instead of floor and
 * trunc_sat (the float n + 1.5·2²³ + 127 holds n + 127 in its low bits; shifting left by 23 leaves
 * exactly (n + 127) << 23, the bits of 2^n).
 */
@inline function exp4(x: v128): v128 {
  x = f32x4.pmax(f32x4.pmin(x, f32x4.splat(EXP_MAX)), f32x4.splat(EXP_MIN));
  const shifted = madd(x, f32x4.splat(LOG2E), f32x4.splat(ROUNDER));
  const n = f32x4.sub(shifted, f32x4.splat(ROUNDER)); // round(x·log2 e)
  const r = madd(n, f32x4.splat(-LN2_LO), madd(n, f32x4.splat(-LN2_HI), x));
  let p = f32x4.splat(1.9875691500e-4);
  p = madd(p, r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  const er = f32x4.add(madd(f32x4.mul(p, r), r, r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(shifted, i32x4.splat(127)), 23);
  return f32x4.mul(er, scale);
}

/** σ(x) = 1 / (1 + e^−x): e^−x is clamped, so large |x| gives 0 or 1 without inf/NaN or subnormals. */
@inline function sigmoid4(x: v128): v128 {
  return flush(f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), exp4(f32x4.neg(x)))), FLT_MIN);
}

/**
 * tanh x: for |x| < 0.625 Cephes' odd polynomial x + x³·P(x²) (1 − 2/(e^2x + 1) would cancel
 * there), else sign(x)·(1 − 2/(e^2|x| + 1)).
 */
@inline function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(exp4(f32x4.add(ax, ax)), f32x4.splat(1))));
  const signed = v128.or(big, v128.and(x, f32x4.splat(-0.0))); // copy x's sign bit
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

@inline function lane(v: v128): f32 {
  return f32x4.extract_lane(v, 0);
}

/** out[i] = f(z[i]) for i < n. */
export function activationForward(kind: i32, out: usize, z: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, forward4(kind, v128.load(z + at)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, lane(forward4(kind, f32x4.splat(load<f32>(z + at)))));
  }
}

/** f(x) on four lanes for the element-wise activation `kind` (also the products' epilogue, gemm.ts). */
@inline export function forward4(kind: i32, x: v128): v128 {
  if (kind == ACT_SIGMOID) return sigmoid4(x);
  if (kind == ACT_TANH) return tanh4(x);
  if (kind == ACT_IDENTITY) return x;
  return f32x4.pmax(x, f32x4.splat(0)); // pmax: one maxps (max spends several to order NaN and −0); NaN stays NaN
}

/**
 * out = softmax(z) row by row over rows×cols (../../activations.ts's definition): e^(zᵢ − max z)
 * scaled by 1/Σ, so the exponentials never overflow. Four columns at a time, the tail in lane 0.
 */
export function softmaxRows(out: usize, z: usize, rows: i32, cols: i32): void {
  const vectorCols = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const zr = z + (<usize>(r * cols) << 2), or = out + (<usize>(r * cols) << 2);
    let max = load<f32>(zr);
    for (let j = 1; j < cols; j++) max = Mathf.max(max, load<f32>(zr + (<usize>j << 2)));
    const vmax = f32x4.splat(max);
    let vsum = f32x4.splat(0);
    let j = 0;
    for (; j < vectorCols; j += 4) {
      const e = exp4(f32x4.sub(v128.load(zr + (<usize>j << 2)), vmax));
      v128.store(or + (<usize>j << 2), e);
      vsum = f32x4.add(vsum, e);
    }
    let sum = f32x4.extract_lane(vsum, 0) + f32x4.extract_lane(vsum, 1) + f32x4.extract_lane(vsum, 2) + f32x4.extract_lane(vsum, 3);
    for (; j < cols; j++) {
      const e = lane(exp4(f32x4.splat(load<f32>(zr + (<usize>j << 2)) - max)));
      store<f32>(or + (<usize>j << 2), e);
      sum += e;
    }
    const inv: f32 = 1 / sum;
    const vinv = f32x4.splat(inv);
    j = 0;
    for (; j < vectorCols; j += 4) v128.store(or + (<usize>j << 2), f32x4.mul(v128.load(or + (<usize>j << 2)), vinv));
    for (; j < cols; j++) store<f32>(or + (<usize>j << 2), load<f32>(or + (<usize>j << 2)) * inv);
  }
}

/** dz[i] = da[i]·f'(z[i]) with a = f(z): σ' = a(1−a), tanh' = (1−a)(1+a), relu' = [z > 0]. dz may alias da. */
export function activationBackward(kind: i32, dz: usize, da: usize, z: usize, a: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(dz + at, backward4(kind, v128.load(da + at), v128.load(z + at), v128.load(a + at)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const d = backward4(kind, f32x4.splat(load<f32>(da + at)), f32x4.splat(load<f32>(z + at)), f32x4.splat(load<f32>(a + at)));
    store<f32>(dz + at, lane(d));
  }
}

@inline function backward4(kind: i32, d: v128, z: v128, a: v128): v128 {
  const one = f32x4.splat(1);
  if (kind == ACT_SIGMOID) return f32x4.mul(d, f32x4.mul(a, f32x4.sub(one, a)));
  // (1 − a)(1 + a), not 1 − a²: near |a| = 1 the square rounds away the digits that matter.
  if (kind == ACT_TANH) return f32x4.mul(d, f32x4.mul(f32x4.sub(one, a), f32x4.add(one, a)));
  if (kind == ACT_IDENTITY) return d;
  return v128.and(d, f32x4.gt(z, f32x4.splat(0)));
}

/** y ← y + α·x (plain SGD is w ← w + (−η)·g). */
export function axpy(y: usize, x: usize, n: i32, alpha: f32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(y + at, f32x4.add(v128.load(y + at), f32x4.mul(va, v128.load(x + at))));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(y + at, load<f32>(y + at) + alpha * load<f32>(x + at));
  }
}

/**
 * Adam(W): m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w·decay − stepSize·m / (√v·invSqrtBc2 + ε),
 * with the bias corrections folded by the caller: stepSize = lr/(1−β₁ᵗ), invSqrtBc2 = 1/√(1−β₂ᵗ),
 * decay = 1 − lr·λ (1 for Adam). The caller also passes 1−β₁ and 1−β₂, computed in float64.
 */
export function adamUpdate(w: usize, g: usize, m: usize, v: usize, n: i32, beta1: f32, keep1: f32, beta2: f32, keep2: f32, eps: f32, stepSize: f32, invSqrtBc2: f32, decay: f32): void {
  const b1 = f32x4.splat(beta1), c1 = f32x4.splat(keep1), b2 = f32x4.splat(beta2), c2 = f32x4.splat(keep2);
  const ve = f32x4.splat(eps), vs = f32x4.splat(stepSize), vb = f32x4.splat(invSqrtBc2), vd = f32x4.splat(decay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const gi = v128.load(g + at);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + at)), f32x4.mul(c1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + at)), f32x4.mul(c2, f32x4.mul(gi, gi)));
    v128.store(m + at, mi);
    v128.store(v + at, vi);
    const den = f32x4.add(f32x4.mul(f32x4.sqrt(vi), vb), ve);
    v128.store(w + at, f32x4.sub(f32x4.mul(v128.load(w + at), vd), f32x4.div(f32x4.mul(vs, mi), den)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const gi = load<f32>(g + at);
    const mi = beta1 * load<f32>(m + at) + keep1 * gi;
    const vi = beta2 * load<f32>(v + at) + keep2 * gi * gi;
    store<f32>(m + at, mi);
    store<f32>(v + at, vi);
    store<f32>(w + at, load<f32>(w + at) * decay - (stepSize * mi) / (Mathf.sqrt(vi) * invSqrtBc2 + eps));
  }
}
