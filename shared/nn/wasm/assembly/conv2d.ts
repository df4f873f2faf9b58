// @ts-nocheck — AssemblyScript (compiled to WebAssembly by build/scripts/build-wasm.mjs), not TypeScript.
/**
 * A convolution layer's three products for a whole batch, one call each, as implicit GEMMs on
 * gemm.ts's micro-kernels (the same numbers as shared/nn/layers/conv2d.ts's im2col route, which is
 * the definition; P = OH·OW pixels, R = C·k·k patch entries, patch(p)[r] = the input under filter
 * tap r at pixel p, 0 outside the image):
 *
 *   forward    out_b[OC×P] = W[OC×R] · patches_bᵀ + b, and act = f(out)       unit: one image
 *   filter     ∂Wᵀ[R×OC]  += Σ_b col_b[R×P] · δ_bᵀ                             unit: a group of images
 *   input      ∂inp_b      = col2im(Wᵀ · δ_b)                                  unit: one image
 *
 * No column matrix of the batch is ever stored: the forward pass packs the panels the micro-kernel
 * reads straight from the image (through a zero-bordered copy of it when the padding needs one), a
 * panel at a time while it is in L1, and writes NCHW directly (a tile is 6 channels × 8 pixels of
 * one image) with the bias as the tile's start and the activation in its epilogue. The filter
 * gradient builds one image's col_b at a time in the thread's own buffer (row copies, no gathers)
 * and packs δ_b, the smaller operand, so little is packed per multiply-add even for 6 filters.
 *
 * Every output element is computed by one thread in one fixed order: images are split between
 * threads, never a sum. The filter gradient sums over images, so it sums each fixed group of
 * images into its own partial (groups do not depend on the thread count), and the calling thread
 * adds the partials up in group order: 1 and 2 threads give the same bits.
 */
import { KIND_CONV, job, runJob, claimUnit, countHelperUnits, threadScratch } from './job';
import { tileAt, packPanel, INIT_ZERO, INIT_C, INIT_ROW_BIAS, ACT_NONE } from './gemm';
import { col2im } from './conv';

const MR: i32 = 6;
const NR: i32 = 8;
/** Bytes of one packed panel step (NR floats). */
const STEP: usize = 32;
const PASS_FORWARD: i32 = 0;
const PASS_FILTER: i32 = 1;
const PASS_INPUT: i32 = 2;
/** The filter gradient's image groups: at most this many partial sums (balance vs. their memory). */
const FILTER_GROUPS: i32 = 8;

/** The geometry and operands of one convolution call, at the start of its scratch (see convScratchBytes). */
@unmanaged
class Conv {
  pass: i32;
  B: i32; C: i32; H: i32; W: i32; OC: i32; k: i32; stride: i32; padTop: i32; padLeft: i32; OH: i32; OW: i32;
  R: i32;
  P: i32;
  /** Source planes the patches are read from: the images themselves, or zero-bordered copies srcH×srcW. */
  padded: i32;
  srcH: i32;
  srcW: i32;
  /** off[r]: where patch entry r is relative to its pixel's corner; base[p]: pixel p's corner (floats, i32 tables). */
  off: usize;
  base: usize;
  partials: usize;
  groups: i32;
  perGroup: i32;
  threads: usize;
  threadBytes: usize;
  // Operands of the current pass.
  x: usize;
  y: usize;
  w: usize;
  bias: usize;
  act: i32;
  actOut: usize;
}

const RECORD: usize = 256;

@inline function align64(n: usize): usize {
  return (n + 63) & ~63;
}

@inline function panelsOf(n: i32): i32 {
  return (n + NR - 1) / NR;
}

/** Rows and columns of the zero-bordered plane a padded convolution reads: every tap of every pixel. */
@inline function paddedRows(OH: i32, k: i32, stride: i32): i32 {
  return (OH - 1) * stride + k;
}

/** Bytes of one thread's area: a padded image, and the largest of the three passes' buffers. */
function threadBytesOf(C: i32, OC: i32, R: i32, P: i32, srcPlane: i32, padded: bool): usize {
  const image = padded ? align64(<usize>C * <usize>srcPlane << 2) : 0;
  const forward = <usize>R * STEP;
  const filter = align64(<usize>R * <usize>P << 2) + <usize>panelsOf(OC) * <usize>P * STEP;
  const input = <usize>panelsOf(P) * <usize>OC * STEP + align64(<usize>R * <usize>P << 2);
  return image + align64(max<usize>(forward, max<usize>(filter, input)));
}

@inline function isPadded(H: i32, W: i32, k: i32, stride: i32, padTop: i32, padLeft: i32, OH: i32, OW: i32): bool {
  return padTop > 0 || padLeft > 0 || paddedRows(OH, k, stride) > H || paddedRows(OW, k, stride) > W;
}

/** Scratch bytes every pass of this convolution needs with `threads` threads (convSetup lays them out). */
export function convScratchBytes(B: i32, C: i32, H: i32, W: i32, OC: i32, k: i32, stride: i32, padTop: i32, padLeft: i32,
  OH: i32, OW: i32, threads: i32): usize {
  const padded = isPadded(H, W, k, stride, padTop, padLeft, OH, OW);
  const srcH = padded ? paddedRows(OH, k, stride) : H, srcW = padded ? paddedRows(OW, k, stride) : W;
  const R = C * k * k, P = OH * OW;
  const groups = <usize>min<i32>(B, FILTER_GROUPS);
  return RECORD + align64(<usize>R << 2) + align64(<usize>P << 2) + groups * align64(<usize>OC * <usize>R << 2)
    + <usize>threads * threadBytesOf(C, OC, R, P, srcH * srcW, padded) + 64;
}

/**
 * Writes the geometry into scratch (convScratchBytes of it) and the offset tables the packers read;
 * the passes below then take only their operands.
 */
export function convSetup(scratch: usize, B: i32, C: i32, H: i32, W: i32, OC: i32, k: i32, stride: i32, padTop: i32,
  padLeft: i32, OH: i32, OW: i32, threads: i32): void {
  const g = changetype<Conv>(scratch);
  g.B = B; g.C = C; g.H = H; g.W = W; g.OC = OC; g.k = k; g.stride = stride; g.padTop = padTop; g.padLeft = padLeft;
  g.OH = OH; g.OW = OW;
  const R = C * k * k, P = OH * OW;
  g.R = R; g.P = P;
  const padded = isPadded(H, W, k, stride, padTop, padLeft, OH, OW);
  g.padded = padded ? 1 : 0;
  g.srcH = padded ? paddedRows(OH, k, stride) : H;
  g.srcW = padded ? paddedRows(OW, k, stride) : W;
  g.off = scratch + RECORD;
  g.base = g.off + align64(<usize>R << 2);
  g.partials = g.base + align64(<usize>P << 2);
  g.groups = min<i32>(B, FILTER_GROUPS);
  g.perGroup = (B + g.groups - 1) / g.groups;
  g.groups = (B + g.perGroup - 1) / g.perGroup;
  g.threads = align64(g.partials + <usize>min<i32>(B, FILTER_GROUPS) * align64(<usize>OC * <usize>R << 2));
  g.threadBytes = threadBytesOf(C, OC, R, P, g.srcH * g.srcW, padded);
  const plane = g.srcH * g.srcW;
  let r = 0;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++, r++) store<i32>(g.off + (<usize>r << 2), c * plane + i * g.srcW + j);
    }
  }
  for (let p = 0; p < P; p++) {
    const oh = p / OW, ow = p - oh * OW;
    store<i32>(g.base + (<usize>p << 2), oh * stride * g.srcW + ow * stride);
  }
}

/** out[B×OC×OH×OW] = inp ⋆ W + bias (bias 0: none), and actOut = f(out) when act ≠ 0. */
export function convForward(scratch: usize, out: usize, inp: usize, weight: usize, bias: usize, act: i32, actOut: usize, parallel: bool): void {
  const g = changetype<Conv>(scratch);
  g.pass = PASS_FORWARD;
  g.x = inp; g.y = out; g.w = weight; g.bias = bias; g.act = act; g.actOut = actOut;
  run(g, g.B, parallel);
}

/** dweight[OC×R] += Σ_b δ_b · patches_b for delta[B×OC×OH×OW] over inp[B×C×H×W]. */
export function convFilterGradient(scratch: usize, dweight: usize, delta: usize, inp: usize, parallel: bool): void {
  const g = changetype<Conv>(scratch);
  g.pass = PASS_FILTER;
  g.x = inp; g.y = delta;
  run(g, g.groups, parallel);
  // The partials [R×OC] in group order into the first, then transposed into dweight[OC×R]: the
  // same sums whoever computed which group.
  const n = g.OC * g.R;
  const stride = align64(<usize>n << 2);
  const sum = g.partials;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    let s = v128.load(sum + at);
    for (let q = 1; q < g.groups; q++) s = f32x4.add(s, v128.load(sum + <usize>q * stride + at));
    v128.store(sum + at, s);
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    let s = load<f32>(sum + at);
    for (let q = 1; q < g.groups; q++) s += load<f32>(sum + <usize>q * stride + at);
    store<f32>(sum + at, s);
  }
  for (let oc = 0; oc < g.OC; oc++) {
    const row = dweight + (<usize>(oc * g.R) << 2);
    for (let r = 0; r < g.R; r++) {
      const at = row + (<usize>r << 2);
      store<f32>(at, load<f32>(at) + load<f32>(sum + (<usize>(r * g.OC + oc) << 2)));
    }
  }
}

/** dinp[B×C×H×W] = ∂L/∂inp (overwritten) from delta[B×OC×OH×OW] = ∂L/∂out and W. */
export function convInputGradient(scratch: usize, dinp: usize, delta: usize, weight: usize, parallel: bool): void {
  const g = changetype<Conv>(scratch);
  g.pass = PASS_INPUT;
  g.x = dinp; g.y = delta; g.w = weight;
  run(g, g.B, parallel);
}

function run(g: Conv, units: i32, parallel: bool): void {
  const j = job();
  j.kind = KIND_CONV;
  j.record = changetype<usize>(g);
  j.units = units;
  runJob(parallel && units > 1);
}

/** This thread's share of the current convolution job (job.ts dispatches here). */
export function convWork(tid: i32): void {
  const g = changetype<Conv>(job().record);
  const area = g.threads + <usize>tid * g.threadBytes;
  let done = 0;
  for (let u = claimUnit(tid); u >= 0; u = claimUnit(tid), done++) {
    if (g.pass == PASS_FORWARD) forwardImage(g, u, area, threadScratch(tid));
    else if (g.pass == PASS_FILTER) filterGroup(g, u, area, threadScratch(tid));
    else inputImage(g, u, area, threadScratch(tid));
  }
  countHelperUnits(tid, done);
}

/** Image b's planes as the packers read them: the image, or its zero-bordered copy at the start of area. */
function source(g: Conv, b: i32, area: usize): usize {
  const image = g.x + (<usize>b * <usize>(g.C * g.H * g.W) << 2);
  if (!g.padded) return image;
  const srcH = g.srcH, srcW = g.srcW;
  memory.fill(area, 0, <usize>(g.C * srcH * srcW) << 2);
  const rows = min<i32>(g.H, srcH - g.padTop), cols = min<i32>(g.W, srcW - g.padLeft);
  for (let c = 0; c < g.C; c++) {
    const from = image + (<usize>(c * g.H * g.W) << 2);
    const to = area + (<usize>(c * srcH * srcW + g.padTop * srcW + g.padLeft) << 2);
    for (let i = 0; i < rows; i++) {
      const d = to + (<usize>(i * srcW) << 2), s = from + (<usize>(i * g.W) << 2);
      let q = 0;
      for (; q + 4 <= cols; q += 4) v128.store(d + (<usize>q << 2), v128.load(s + (<usize>q << 2)));
      for (; q < cols; q++) store<f32>(d + (<usize>q << 2), load<f32>(s + (<usize>q << 2)));
    }
  }
  return area;
}

/** The part of a thread's area after the padded image. */
@inline function buffers(g: Conv, area: usize): usize {
  return g.padded ? area + align64(<usize>(g.C * g.srcH * g.srcW) << 2) : area;
}

function forwardImage(g: Conv, b: i32, area: usize, t: usize): void {
  const src = source(g, b, area);
  const panel = buffers(g, area);
  const R = g.R, P = g.P, OC = g.OC;
  const image = <usize>b * <usize>(OC * P) << 2;
  const init = g.bias != 0 ? INIT_ROW_BIAS : INIT_ZERO;
  for (let p0 = 0; p0 < P; p0 += NR) {
    const n = min<i32>(NR, P - p0);
    packPixels(panel, src, g.off, g.base, R, p0, n);
    for (let oc = 0; oc < OC; oc += MR) {
      const at = image + (<usize>(oc * P + p0) << 2);
      tileAt(g.w + (<usize>(oc * R) << 2), <usize>R << 2, 4, min<i32>(MR, OC - oc), panel, R, g.y + at, <usize>P << 2, n,
        init, g.bias + (<usize>oc << 2), g.act, g.act != ACT_NONE ? g.actOut + at : 0, t);
    }
  }
}

/** panel[R×8] = the patches of pixels p0 … p0+n−1 (n ≤ 8; the rest zero), patch entry r in step r. */
function packPixels(panel: usize, src: usize, off: usize, base: usize, R: i32, p0: i32, n: i32): void {
  const b0 = load<i32>(base + (<usize>p0 << 2));
  // Eight neighbours in one row of a stride-1 convolution: two vector loads per patch entry.
  if (n == NR && load<i32>(base + (<usize>(p0 + 7) << 2)) == b0 + 7) {
    const from = src + (<usize>b0 << 2);
    for (let r = 0; r < R; r++) {
      const s = from + (<usize>load<i32>(off + (<usize>r << 2)) << 2);
      const d = panel + <usize>r * STEP;
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
    }
    return;
  }
  // Eight pixels over the end of one row and the start of the next (stride 1): each half-panel is
  // two vector loads, one from each row's run, lanes chosen by where the row breaks. Both loads
  // stay inside the planes: the first run's overhang reads no further than the second run does.
  if (n == NR) {
    let split = 1;
    while (split < NR && load<i32>(base + (<usize>(p0 + split) << 2)) == b0 + split) split++;
    const second = load<i32>(base + (<usize>(p0 + split) << 2)) - split;
    if (split < NR && load<i32>(base + (<usize>(p0 + 7) << 2)) == second + 7 && second > b0) {
      const first = src + (<usize>b0 << 2), next = src + (<usize>second << 2);
      const lo = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(split)), hi = i32x4.lt_s(i32x4(4, 5, 6, 7), i32x4.splat(split));
      for (let r = 0; r < R; r++) {
        const o = <usize>load<i32>(off + (<usize>r << 2)) << 2;
        const d = panel + <usize>r * STEP;
        v128.store(d, v128.bitselect(v128.load(first + o), v128.load(next + o), lo));
        v128.store(d, v128.bitselect(v128.load(first + o, 16), v128.load(next + o, 16), hi), 16);
      }
      return;
    }
  }
  for (let q = 0; q < NR; q++) {
    let d = panel + (<usize>q << 2);
    if (q >= n) {
      for (let r = 0; r < R; r++, d += STEP) store<f32>(d, 0);
      continue;
    }
    const from = src + (<usize>load<i32>(base + (<usize>(p0 + q) << 2)) << 2);
    for (let r = 0; r < R; r++, d += STEP) store<f32>(d, load<f32>(from + (<usize>load<i32>(off + (<usize>r << 2)) << 2)));
  }
}

function filterGroup(g: Conv, group: i32, area: usize, t: usize): void {
  const first = group * g.perGroup, last = min<i32>(g.B, first + g.perGroup);
  const R = g.R, P = g.P, OC = g.OC;
  const partial = g.partials + <usize>group * align64(<usize>(OC * R) << 2);
  const col = buffers(g, area);
  const packed = col + align64(<usize>(R * P) << 2);
  const panelBytes = <usize>P * STEP;
  for (let b = first; b < last; b++) {
    im2colImage(col, source(g, b, area), g);
    const delta = g.y + (<usize>b * <usize>(OC * P) << 2);
    const init = b == first ? INIT_ZERO : INIT_C;
    for (let oc = 0, q = 0; oc < OC; oc += NR, q++) {
      // δ_bᵀ's columns oc … oc+7: B[p][oc] = δ_b[oc][p], read along p.
      const n = min<i32>(NR, OC - oc);
      const panel = packed + <usize>q * panelBytes;
      packPanel(panel, delta, 4, <usize>P << 2, P, oc, n);
      for (let r = 0; r < R; r += MR) {
        tileAt(col + (<usize>(r * P) << 2), <usize>P << 2, 4, min<i32>(MR, R - r), panel, P,
          partial + (<usize>(r * OC + oc) << 2), <usize>OC << 2, n, init, 0, ACT_NONE, 0, t);
      }
    }
  }
}

/** col[R×P] = image b's patches (src: its planes as source() gives them), one row of pixels at a time. */
function im2colImage(col: usize, src: usize, g: Conv): void {
  const R = g.R, OH = g.OH, OW = g.OW, stride = g.stride;
  const rowBytes = <usize>OW << 2;
  let d = col;
  for (let r = 0; r < R; r++) {
    const tap = src + (<usize>load<i32>(g.off + (<usize>r << 2)) << 2);
    for (let oh = 0; oh < OH; oh++, d += rowBytes) {
      const s = tap + (<usize>load<i32>(g.base + (<usize>(oh * OW) << 2)) << 2);
      // A row is short (tens of floats): a vector loop, not memory.copy (a call into the runtime in V8).
      let ow = 0;
      if (stride == 1) for (; ow + 4 <= OW; ow += 4) v128.store(d + (<usize>ow << 2), v128.load(s + (<usize>ow << 2)));
      for (; ow < OW; ow++) store<f32>(d + (<usize>ow << 2), load<f32>(s + (<usize>(ow * stride) << 2)));
    }
  }
}

function inputImage(g: Conv, b: i32, area: usize, t: usize): void {
  const R = g.R, P = g.P, OC = g.OC;
  const delta = g.y + (<usize>b * <usize>(OC * P) << 2);
  // δ_b's panels (OC steps of 8 pixels each), then dcol_b[R×P] = Wᵀ·δ_b, then its col2im.
  const packed = area;
  const dcol = area + <usize>panelsOf(P) * <usize>OC * STEP;
  const panelBytes = <usize>OC * STEP;
  for (let p0 = 0, q = 0; p0 < P; p0 += NR, q++) {
    const n = min<i32>(NR, P - p0);
    const panel = packed + <usize>q * panelBytes;
    packPanel(panel, delta, <usize>P << 2, 4, OC, p0, n);
    for (let r = 0; r < R; r += MR) {
      tileAt(g.w + (<usize>r << 2), 4, <usize>R << 2, min<i32>(MR, R - r), panel, OC, dcol + (<usize>(r * P + p0) << 2), <usize>P << 2, n,
        INIT_ZERO, 0, ACT_NONE, 0, t);
    }
  }
  const C = g.C, H = g.H, W = g.W;
  col2im(g.x + (<usize>b * <usize>(C * H * W) << 2), dcol, 1, C, H, W, g.k, g.stride, g.padTop, g.padLeft, g.OH, g.OW);
}
