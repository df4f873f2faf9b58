// @ts-nocheck — AssemblyScript (compiled to WebAssembly by build/scripts/build-wasm.mjs), not TypeScript.
/**
 * Max pooling with argmax routing over `planes` planes of H×W (shared/nn/layers/pool.ts is the
 * definition: the first maximum in row-major order wins a tie, argmax indexes inp), as a job whose
 * units are runs of whole planes, so the threads share it and never touch each other's outputs.
 * The 2×2, stride 2 window (every benchmark network's) takes four outputs at a time: two vector
 * loads of each of the window's rows, split into even and odd columns, compared in the scalar
 * loop's order.
 */
import { KIND_POOL, job, runJob, claimUnit, countHelperUnits } from './job';

/** Planes per unit of work: about 10 µs of a 28×28 plane each. */
const PLANES_PER_UNIT: i32 = 16;
const PASS_FORWARD: i32 = 0;
const PASS_BACKWARD: i32 = 1;

/** One pooling call's arguments, in a record the caller provides (poolRecordBytes). */
@unmanaged
class Pool {
  pass: i32;
  planes: i32; H: i32; W: i32; size: i32; stride: i32; OH: i32; OW: i32;
  out: usize;
  argmax: usize;
  inp: usize;
  /** The backward pass's gate (0: none). */
  gate: usize;
}

export function poolRecordBytes(): usize {
  return (offsetof<Pool>() + 63) & ~63;
}

/** out[planes×OH×OW] = window maxima of inp[planes×H×W], argmax (i32) = their indices in inp. */
export function maxPoolForward(record: usize, out: usize, argmax: usize, inp: usize, planes: i32, H: i32, W: i32, size: i32, stride: i32,
  OH: i32, OW: i32, parallel: bool): void {
  const r = changetype<Pool>(record);
  r.pass = PASS_FORWARD;
  r.planes = planes; r.H = H; r.W = W; r.size = size; r.stride = stride; r.OH = OH; r.OW = OW;
  r.out = out; r.argmax = argmax; r.inp = inp;
  run(r, parallel);
}

/**
 * dinp[planes×H×W] = 0, then dinp[argmax[o]] += dout[o] (each plane's outputs route into that plane
 * only), only where gate[o] > 0 when gate ≠ 0 (a ReLU's derivative folded in: layers/pool.ts).
 */
export function maxPoolBackward(record: usize, dinp: usize, dout: usize, argmax: usize, gate: usize, planes: i32, H: i32, W: i32,
  OH: i32, OW: i32, parallel: bool): void {
  const r = changetype<Pool>(record);
  r.pass = PASS_BACKWARD;
  r.planes = planes; r.H = H; r.W = W; r.OH = OH; r.OW = OW;
  r.out = dinp; r.argmax = argmax; r.inp = dout; r.gate = gate;
  run(r, parallel);
}

function run(r: Pool, parallel: bool): void {
  const j = job();
  j.kind = KIND_POOL;
  j.record = changetype<usize>(r);
  j.units = (r.planes + PLANES_PER_UNIT - 1) / PLANES_PER_UNIT;
  runJob(parallel && j.units > 1);
}

/** This thread's share of the current pooling job (job.ts dispatches here). */
export function poolWork(tid: i32): void {
  const r = changetype<Pool>(job().record);
  let done = 0;
  for (let u = claimUnit(tid); u >= 0; u = claimUnit(tid), done++) {
    const first = u * PLANES_PER_UNIT, last = min<i32>(r.planes, first + PLANES_PER_UNIT);
    if (r.pass == PASS_FORWARD) forwardPlanes(r, first, last);
    else backwardPlanes(r, first, last);
  }
  countHelperUnits(tid, done);
}

function forwardPlanes(r: Pool, first: i32, last: i32): void {
  const H = r.H, W = r.W, size = r.size, stride = r.stride, OH = r.OH, OW = r.OW;
  const inp = r.inp;
  const pairs = size == 2 && stride == 2;
  for (let p = first; p < last; p++) {
    const plane = p * H * W;
    let o = <usize>(p * OH * OW);
    for (let oh = 0; oh < OH; oh++) {
      let ow = 0;
      if (pairs) {
        const row = plane + 2 * oh * W;
        for (; ow + 4 <= OW && 2 * ow + 8 <= W; ow += 4, o += 4) maxOf4Windows(r, row, 2 * ow, W, o);
      }
      for (; ow < OW; ow++, o++) {
        const top = plane + oh * stride * W + ow * stride;
        let best = top;
        let mx = load<f32>(inp + (<usize>top << 2));
        for (let i = 0; i < size; i++) {
          let at = top + i * W;
          for (let j = 0; j < size; j++, at++) {
            const v = load<f32>(inp + (<usize>at << 2));
            if (v > mx) {
              mx = v;
              best = at;
            }
          }
        }
        store<f32>(r.out + (o << 2), mx);
        store<i32>(r.argmax + (o << 2), best);
      }
    }
  }
}

/** Outputs o … o+3 of 2×2 windows whose top-left corners are inp[row + col], +2, +4, +6. */
@inline function maxOf4Windows(r: Pool, row: i32, col: i32, W: i32, o: usize): void {
  const top = r.inp + (<usize>(row + col) << 2);
  const bottom = top + (<usize>W << 2);
  const t0 = v128.load(top), t1 = v128.load(top, 16), b0 = v128.load(bottom), b1 = v128.load(bottom, 16);
  const topLeft = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6), topRight = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
  const bottomLeft = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6), bottomRight = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
  // The scalar loop's order and its strict >: a later tap replaces the best only when greater (NaN never).
  let mx = topLeft;
  let at = i32x4.splat(0);
  let gt = f32x4.gt(topRight, mx);
  mx = v128.bitselect(topRight, mx, gt); at = v128.bitselect(i32x4.splat(1), at, gt);
  gt = f32x4.gt(bottomLeft, mx);
  mx = v128.bitselect(bottomLeft, mx, gt); at = v128.bitselect(i32x4.splat(W), at, gt);
  gt = f32x4.gt(bottomRight, mx);
  mx = v128.bitselect(bottomRight, mx, gt); at = v128.bitselect(i32x4.splat(W + 1), at, gt);
  const corners = i32x4.add(i32x4.splat(row + col), i32x4(0, 2, 4, 6));
  v128.store(r.out + (o << 2), mx);
  v128.store(r.argmax + (o << 2), i32x4.add(corners, at));
}

function backwardPlanes(r: Pool, first: i32, last: i32): void {
  const dinp = r.out, dout = r.inp, argmax = r.argmax;
  const HW = r.H * r.W, n = r.OH * r.OW;
  memory.fill(dinp + (<usize>(first * HW) << 2), 0, <usize>((last - first) * HW) << 2);
  const end = <usize>(last * n);
  const gate = r.gate;
  for (let o = <usize>(first * n); o < end; o++) {
    const at = dinp + (<usize>load<i32>(argmax + (o << 2)) << 2);
    const g = load<f32>(dout + (o << 2));
    store<f32>(at, load<f32>(at) + (gate == 0 || load<f32>(gate + (o << 2)) > 0 ? g : 0));
  }
}
