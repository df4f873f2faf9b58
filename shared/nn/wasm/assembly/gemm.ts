// @ts-nocheck — AssemblyScript (compiled to WebAssembly by build/scripts/build-wasm.mjs), not
// TypeScript: `v128`, `usize`, `atomic.*` and the decorators are AssemblyScript builtins.
/**
 * Matrix products C (init) = A·B for the three forms the layers need (A·B forward, Aᵀ·B weight
 * gradients, A·Bᵀ input deltas), in the classic GotoBLAS/BLIS shape:
 *
 *   - B is packed into panels of NR = 8 columns, each stored red×8 contiguously (zero-padded at
 *     the right edge), so the micro-kernel reads it with two aligned vector loads per step;
 *     the transposed forms differ only in the strides the packing and the A-side loads use.
 *   - a 6×8 register tile: 12 f32x4 accumulators, one broadcast of A and two vectors of B per step
 *     (15 of the 16 xmm registers; V8 keeps the 16th as scratch). Wider tiles spill and run slower.
 *     An edge panel of at most 4 real columns (N = 10 leaves 2) runs a 6×4 kernel instead.
 *   - the epilogue is fused: the accumulators start from zero, from C (accumulate) or from the
 *     bias row, and an optional element-wise activation of each tile is written to a second
 *     matrix right after the tile's store, while it is in L1 (a layer's Z and A in one pass).
 *   - work is split into units (one panel × one chunk of rows) claimed from an atomic counter, so
 *     any number of threads share one call; units run panel by panel, and the calling thread claims
 *     from the first unit up while helpers claim from the last one down (job.ts). So with two threads
 *     each packs and keeps its own panels (the other's half of B never crosses cores), A is only
 *     read by both, and they meet, and balance, at one panel in the middle. A panel is packed once,
 *     by whichever thread needs it first; rows are grouped so A's rows stay in L2 while every panel
 *     is swept over them. Each output element is computed by one thread in one fixed order, so
 *     results do not depend on how many threads took part.
 */
import { Job, KIND_GEMM, job, runJob, claimUnit, threadScratch, countHelperUnits } from './job';
import { madd } from './simd';
import { forward4 } from './elementwise';

const MR: i32 = 6;
const NR: i32 = 8;
/** Bytes of one packed panel step (NR floats). */
const STEP: usize = 32;

export const INIT_ZERO: i32 = 0;
export const INIT_C: i32 = 1;
export const INIT_BIAS: i32 = 2;
/** Each row starts from its own bias value (bias[i] for row i: a convolution's per-channel bias). */
export const INIT_ROW_BIAS: i32 = 3;
/** No epilogue activation; others are elementwise.ts's ACT_* kinds. */
export const ACT_NONE: i32 = 0;

/**
 * Target multiply-adds per unit of work (one panel × a chunk of rows, about 10 µs). The threads
 * claim from opposite ends of the job, so unit boundaries cost a claim, not data crossing cores;
 * 2¹⁸ and 2²⁰ measured the same within noise on two cores, 2¹⁹ no worse than either.
 */
const UNIT_MADDS: i32 = 1 << 19;
/** Bytes of A a group of chunks may span, so each panel sweep finds those rows in L2. */
const GROUP_BYTES: i32 = 384 << 10;

/**
 * The 6×8 micro-kernel: c[6×8] (init) = Σ_r a[i, r] · bp[r, 0..8] over `red` steps, with c's rows
 * `ldc` bytes apart. Rows past `rows` repeat the last valid row of A (their results are discarded
 * by the caller), so the same kernel serves the bottom edge.
 *
 * Few integers may be live across the loop: V8 has about a dozen general registers on x64, and
 * one more (an activation flag, a step counter) spills inside the loop and costs a third of the
 * speed (measured). Hence the end pointer instead of a counter, and the activation in `tile`.
 */
export function kernel6x8(a: usize, aRow: usize, aRed: usize, rows: i32, bp: usize, red: i32, c: usize, ldc: usize, init: i32, bias: usize): void {
  const last = <usize>(rows - 1);
  let a0 = a;
  let a1 = a + min<usize>(1, last) * aRow;
  let a2 = a + min<usize>(2, last) * aRow;
  let a3 = a + min<usize>(3, last) * aRow;
  let a4 = a + min<usize>(4, last) * aRow;
  let a5 = a + min<usize>(5, last) * aRow;
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  if (init == INIT_C) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16);
    c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16);
    c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16);
    c40 = v128.load(c + 4 * ldc); c41 = v128.load(c + 4 * ldc, 16);
    c50 = v128.load(c + 5 * ldc); c51 = v128.load(c + 5 * ldc, 16);
  } else if (init == INIT_BIAS) {
    c00 = v128.load(bias); c01 = v128.load(bias, 16);
    c10 = c00; c11 = c01; c20 = c00; c21 = c01; c30 = c00; c31 = c01; c40 = c00; c41 = c01; c50 = c00; c51 = c01;
  } else if (init == INIT_ROW_BIAS) {
    c00 = v128.load32_splat(bias); c01 = c00;
    c10 = v128.load32_splat(bias, 4); c11 = c10;
    c20 = v128.load32_splat(bias, 8); c21 = c20;
    c30 = v128.load32_splat(bias, 12); c31 = c30;
    c40 = v128.load32_splat(bias, 16); c41 = c40;
    c50 = v128.load32_splat(bias, 20); c51 = c50;
  }
  const end = bp + <usize>red * STEP;
  while (bp < end) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let x = v128.load32_splat(a0); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a3); c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a4); c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(a5); c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    a0 += aRed; a1 += aRed; a2 += aRed; a3 += aRed; a4 += aRed; a5 += aRed;
    bp += STEP;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16); c += ldc;
  v128.store(c, c40); v128.store(c, c41, 16); c += ldc;
  v128.store(c, c50); v128.store(c, c51, 16);
}

/**
 * The 6×4 micro-kernel for an edge panel of at most 4 real columns (N = 10 leaves 2): the left
 * half of kernel6x8, one vector of B per step, half the multiply-adds of padding. Same contract.
 */
function kernel6x4(a: usize, aRow: usize, aRed: usize, rows: i32, bp: usize, red: i32, c: usize, ldc: usize, init: i32, bias: usize): void {
  const last = <usize>(rows - 1);
  let a0 = a;
  let a1 = a + min<usize>(1, last) * aRow;
  let a2 = a + min<usize>(2, last) * aRow;
  let a3 = a + min<usize>(3, last) * aRow;
  let a4 = a + min<usize>(4, last) * aRow;
  let a5 = a + min<usize>(5, last) * aRow;
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
  if (init == INIT_C) {
    c0 = v128.load(c); c1 = v128.load(c + ldc); c2 = v128.load(c + 2 * ldc);
    c3 = v128.load(c + 3 * ldc); c4 = v128.load(c + 4 * ldc); c5 = v128.load(c + 5 * ldc);
  } else if (init == INIT_BIAS) {
    c0 = v128.load(bias); c1 = c0; c2 = c0; c3 = c0; c4 = c0; c5 = c0;
  }
  const end = bp + <usize>red * STEP;
  while (bp < end) {
    const b0 = v128.load(bp);
    c0 = madd(v128.load32_splat(a0), b0, c0);
    c1 = madd(v128.load32_splat(a1), b0, c1);
    c2 = madd(v128.load32_splat(a2), b0, c2);
    c3 = madd(v128.load32_splat(a3), b0, c3);
    c4 = madd(v128.load32_splat(a4), b0, c4);
    c5 = madd(v128.load32_splat(a5), b0, c5);
    a0 += aRed; a1 += aRed; a2 += aRed; a3 += aRed; a4 += aRed; a5 += aRed;
    bp += STEP;
  }
  v128.store(c, c0); c += ldc;
  v128.store(c, c1); c += ldc;
  v128.store(c, c2); c += ldc;
  v128.store(c, c3); c += ldc;
  v128.store(c, c4); c += ldc;
  v128.store(c, c5);
}

/** out = f(c) over a 6×8 tile that was just stored (still in L1), both with rows `ldc` bytes apart. */
function activateTile(kind: i32, out: usize, c: usize, ldc: usize): void {
  for (let r = 0; r < MR; r++) {
    v128.store(out, forward4(kind, v128.load(c)));
    v128.store(out, forward4(kind, v128.load(c, 16)), 16);
    c += ldc;
    out += ldc;
  }
}

/** Packs columns j0.. j0+cols of B (cols ≤ NR) into dst as red×NR floats, zero-padding the rest. */
export function packPanel(dst: usize, b: usize, bRed: usize, bCol: usize, red: i32, j0: i32, cols: i32): void {
  let src = b + <usize>j0 * bCol;
  if (bCol == 4 && cols == NR) {
    for (let r = 0; r < red; r++) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      src += bRed;
      dst += STEP;
    }
    return;
  }
  // Transposed or edge panel: one column at a time, reading B along its contiguous axis when the
  // form is A·Bᵀ (bRed = 4), then zero the padding columns.
  for (let j = 0; j < cols; j++) {
    let s = src + <usize>j * bCol;
    let d = dst + (<usize>j << 2);
    for (let r = 0; r < red; r++) {
      store<f32>(d, load<f32>(s));
      s += bRed;
      d += STEP;
    }
  }
  for (let j = cols; j < NR; j++) {
    let d = dst + (<usize>j << 2);
    for (let r = 0; r < red; r++) {
      store<f32>(d, 0);
      d += STEP;
    }
  }
}

/** Packs panel p unless it is packed already; waits if another thread is packing it right now. */
function ensurePacked(j: Job, p: i32): void {
  const flag = j.packState + (<usize>p << 2);
  if (atomic.load<i32>(flag) == 2) return;
  if (atomic.cmpxchg<i32>(flag, 0, 1) == 0) {
    const j0 = p * NR;
    packPanel(panelAt(j, p), j.b, j.bRed, j.bCol, j.red, j0, min<i32>(NR, j.cols - j0));
    atomic.store<i32>(flag, 2);
    return;
  }
  while (atomic.load<i32>(flag) != 2) {}
}

@inline function panelAt(j: Job, p: i32): usize {
  return j.pack + <usize>p * <usize>j.red * STEP;
}

/** One output tile (rows×cols ≤ 6×8) of the current job at row i, panel p (see tileAt). */
function tile(j: Job, tid: i32, i: i32, rows: i32, p: i32): void {
  const j0 = p * NR;
  const c = j.c + <usize>i * j.ldc + (<usize>j0 << 2);
  const actOut = j.act != ACT_NONE ? j.actOut + <usize>i * j.ldc + (<usize>j0 << 2) : 0;
  tileAt(j.a + <usize>i * j.aRow, j.aRow, j.aRed, rows, panelAt(j, p), j.red, c, j.ldc, min<i32>(NR, j.cols - j0),
    j.init, j.bias + (<usize>j0 << 2), j.act, actOut, threadScratch(tid));
}

/**
 * One output tile c[rows×cols] (≤ 6×8, rows `ldc` bytes apart) = init + A's rows × the packed panel
 * bp (red steps), and actOut = f(c) when act ≠ ACT_NONE. Full tiles go straight to C; edge tiles go
 * through the thread's scratch tile t (THREAD_SCRATCH bytes) so nothing outside C (or the bias) is
 * read or written. `bias` points at the tile's first column (INIT_BIAS) or first row (INIT_ROW_BIAS).
 * Inlined, so a product's tile loop is one function with no call per tile.
 */
@inline export function tileAt(a: usize, aRow: usize, aRed: usize, rows: i32, bp: usize, red: i32, c: usize, ldc: usize, cols: i32,
  init: i32, bias: usize, act: i32, actOut: usize, t: usize): void {
  if (rows == MR && cols == NR) {
    kernel6x8(a, aRow, aRed, rows, bp, red, c, ldc, init, bias);
    if (act != ACT_NONE) activateTile(act, actOut, c, ldc);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const cr = c + <usize>r * ldc;
    const tr = t + <usize>r * STEP;
    const rowBias: f32 = init == INIT_ROW_BIAS ? load<f32>(bias + (<usize>r << 2)) : 0;
    for (let q = 0; q < cols; q++) {
      const off = <usize>q << 2;
      store<f32>(tr + off, init == INIT_C ? load<f32>(cr + off) : init == INIT_BIAS ? load<f32>(bias + off) : rowBias);
    }
  }
  // An edge panel of at most 4 columns needs only the left half of the micro-kernel.
  if (cols <= NR / 2) kernel6x4(a, aRow, aRed, rows, bp, red, t, STEP, INIT_C, 0);
  else kernel6x8(a, aRow, aRed, rows, bp, red, t, STEP, INIT_C, 0);
  copyTile(c, ldc, t, rows, cols);
  if (act != ACT_NONE) {
    activateTile(act, t, t, STEP); // in the scratch tile, then its valid part out
    copyTile(actOut, ldc, t, rows, cols);
  }
}

/** The valid rows×cols of the scratch tile t into a matrix with rows ldc bytes apart. */
function copyTile(dst: usize, ldc: usize, t: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const dr = dst + <usize>r * ldc;
    const tr = t + <usize>r * STEP;
    for (let q = 0; q < cols; q++) {
      const off = <usize>q << 2;
      store<f32>(dr + off, load<f32>(tr + off));
    }
  }
}

/**
 * This thread's share of the current GEMM job: claim units until none are left. Units run group by
 * group, panel by panel, chunk by chunk, so a thread's consecutive units share its packed panel.
 */
export function gemmWork(tid: i32): void {
  const j = job();
  const perGroup = j.panels * j.groupChunks;
  let done = 0;
  for (let u = claimUnit(tid); u >= 0; u = claimUnit(tid), done++) {
    // Unit u → (group g, panel p, chunk ch), panel by panel or chunk by chunk within the group.
    const g = u / perGroup;
    const rem = u - g * perGroup;
    const inGroup = min<i32>(j.groupChunks, j.chunks - g * j.groupChunks);
    const p = j.panelMajor ? rem / inGroup : rem % j.panels;
    const ch = g * j.groupChunks + (j.panelMajor ? rem % inGroup : rem / j.panels);
    const start = ch * j.chunkRows;
    const end = min<i32>(j.rows, start + j.chunkRows);
    ensurePacked(j, p);
    for (let i = start; i < end; i += MR) tile(j, tid, i, min<i32>(MR, end - i), p);
  }
  countHelperUnits(tid, done);
}

/** Scratch bytes a GEMM with `red` terms and `cols` output columns needs (packed B + flags). */
export function gemmScratchBytes(red: i32, cols: i32): usize {
  const panels = <usize>((cols + NR - 1) / NR);
  return panels * <usize>red * STEP + ((panels * 4 + 63) & ~63);
}

/** Fills the job record and runs it; scratch must hold gemmScratchBytes(red, cols). */
function gemm(c: usize, ldc: usize, a: usize, aRow: usize, aRed: usize, b: usize, bRed: usize, bCol: usize,
  rows: i32, cols: i32, red: i32, init: i32, bias: usize, act: i32, actOut: usize, scratch: usize, parallel: bool): void {
  if (rows <= 0 || cols <= 0) return;
  if (red <= 0) { // an empty sum: C is its init value
    if (init == INIT_C && act == ACT_NONE) return;
    red = 0;
  }
  const j = job();
  j.kind = KIND_GEMM;
  j.c = c; j.ldc = ldc;
  j.a = a; j.aRow = aRow; j.aRed = aRed;
  j.b = b; j.bRed = bRed; j.bCol = bCol;
  j.rows = rows; j.cols = cols; j.red = red;
  j.init = init; j.bias = bias; j.act = act; j.actOut = actOut;
  const panels = (cols + NR - 1) / NR;
  j.panels = panels;
  j.pack = scratch;
  j.packState = scratch + <usize>panels * <usize>red * STEP;
  memory.fill(j.packState, 0, <usize>panels << 2);
  // Units: one panel × a chunk of rows of whole tiles, chunks as even as possible, ~UNIT_MADDS each.
  const tiles = (rows + MR - 1) / MR;
  const tileMadds = max<i64>(1, red) * MR * NR;
  const wanted = <i32>min<i64>(tiles, max<i64>(1, (<i64>tiles * tileMadds + UNIT_MADDS - 1) / UNIT_MADDS));
  const chunkTiles = (tiles + wanted - 1) / wanted;
  const chunkRows = chunkTiles * MR;
  j.chunkRows = chunkRows;
  j.chunks = (tiles + chunkTiles - 1) / chunkTiles;
  j.groupChunks = max<i32>(1, GROUP_BYTES / max<i32>(1, chunkRows * red * 4));
  // Which of B's packed panels (red × cols) and C (rows × cols) the threads split between them, the
  // other being shared: with two threads meeting from both ends, panel by panel gives each its own
  // columns of C and panels of B; chunk by chunk its own rows of C, every panel read by both. The
  // bigger one is split: C's columns share cache lines, so when C is big and read back (the
  // weight-gradient products, accumulating into the weights during gradient descent) splitting it
  // by columns had the cores trade the lines of every row (accumulate 16% slower than overwrite on
  // two threads, not on one: measured on 100×784×50).
  j.panelMajor = red >= rows ? 1 : 0;
  j.units = panels * j.chunks;
  runJob(parallel && j.units > 1);
}

/**
 * out[M×N] = a[M×K]·b[K×N] (+ bias[N] on every row when bias ≠ 0), and when act ≠ 0 also
 * actOut[M×N] = f(out) for the element-wise activation act (elementwise.ts ACT_*).
 */
export function matmul(out: usize, a: usize, b: usize, M: i32, K: i32, N: i32, bias: usize, act: i32, actOut: usize, scratch: usize, parallel: bool): void {
  gemm(out, <usize>N << 2, a, <usize>K << 2, 4, b, <usize>N << 2, 4, M, N, K, bias != 0 ? INIT_BIAS : INIT_ZERO, bias, act, actOut, scratch, parallel);
}

/** out[K×N] (+)= a[M×K]ᵀ·b[M×N]: the reduction runs down the batch rows of both. */
export function matmulTransA(out: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool, scratch: usize, parallel: bool): void {
  gemm(out, <usize>N << 2, a, 4, <usize>K << 2, b, <usize>N << 2, 4, K, N, M, accumulate ? INIT_C : INIT_ZERO, 0, ACT_NONE, 0, scratch, parallel);
}

/** out[M×K] (+)= a[M×N]·b[K×N]ᵀ: B's rows become the packed panels' columns. */
export function matmulTransB(out: usize, a: usize, b: usize, M: i32, K: i32, N: i32, accumulate: bool, scratch: usize, parallel: bool): void {
  gemm(out, <usize>K << 2, a, <usize>N << 2, 4, b, 4, <usize>N << 2, M, K, N, accumulate ? INIT_C : INIT_ZERO, 0, ACT_NONE, 0, scratch, parallel);
}
