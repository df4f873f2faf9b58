/**
 * The reference JavaScript backend: plain loops over Float32Array, the fallback on every platform
 * and the baseline the WebAssembly backend is tested and benchmarked against.
 *
 * Speed without SIMD comes from two classic tricks:
 * - register tiling: each matrix product computes a 4×4 block of the output in 16 local
 *   accumulators (V8 keeps them in registers), so every value loaded feeds 4 multiply-adds
 *   instead of 1 (about 4 GFLOP/s here, against about 1 for the textbook triple loop);
 * - cache blocking: `matmul` packs a 4-column panel of B into a contiguous scratch buffer, so
 *   the inner loop reads B sequentially from L1 while the 4 rows of A stream past it.
 * Edges that do not fill a 4×4 tile use 4×1, 1×4 and 1×1 tiles. No kernel allocates once the
 * panel buffer has grown to the largest K seen (floats reach the tile functions as array + index,
 * since V8 boxes a float argument of a call it does not inline: an allocation per call).
 */
import type { Backend } from './backend.js';

// The register tile is 4×4. Loops spell the 4 as a literal: bundlers turn module constants into
// `var`s, which V8 would reload on every loop test.

/** Stands in for a missing bias (read with stride 0). */
const ZEROS = new Float32Array(1);

export class JsBackend implements Backend {
  readonly name = 'js';
  readonly threads = 1;
  /** Packed 4-column panel of B for `matmul`: K×4 floats, grown on demand, reused forever after. */
  private panel = new Float32Array(4 * 1024);

  alloc(n: number): Float32Array {
    return new Float32Array(n);
  }

  /** out[M×N] = a[M×K] · b[K×N] (+ bias[N]). */
  matmul(out: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number, bias?: Float32Array | null): void {
    if (this.panel.length < K * 4) this.panel = new Float32Array(K * 4);
    const p = this.panel;
    // Bias values reach the tiles as (array, index), never as number arguments: V8 boxes a
    // floating-point argument of a call it does not inline, which would allocate on every tile.
    const bs = bias ?? ZEROS;
    const step = bias ? 1 : 0;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      packPanel4(p, b, K, N, j);
      let i = 0;
      for (; i + 4 <= M; i += 4) tile4x4Packed(out, a, p, i, j, K, N, bs, j * step, step);
      for (; i < M; i++) tile1x4Packed(out, a, p, i, j, K, N, bs, j * step, step);
    }
    // Leftover columns (N not a multiple of 4): one column of B at a time, strided.
    for (; j < N; j++) {
      let i = 0;
      for (; i + 4 <= M; i += 4) tile4x1(out, a, b, i, j, K, N, bs, j * step);
      for (; i < M; i++) {
        let s = bs[j * step];
        for (let k = 0, ai = i * K, bk = j; k < K; k++, bk += N) s += a[ai + k] * b[bk];
        out[i * N + j] = s;
      }
    }
  }

  /** out[K×N] (+)= a[M×K]ᵀ · b[M×N]. Tiles of 4 rows of out (columns of a) × 4 columns, summed over M. */
  matmulTransA(out: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number, accumulate: boolean): void {
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      let n = 0;
      for (; n + 4 <= N; n += 4) tileTransA4x4(out, a, b, M, K, N, k, n, accumulate);
      for (; n < N; n++) {
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let m = 0, am = k, bm = n; m < M; m++, am += K, bm += N) {
          const y = b[bm];
          c0 += a[am] * y; c1 += a[am + 1] * y; c2 += a[am + 2] * y; c3 += a[am + 3] * y;
        }
        store(out, k * N + n, c0, accumulate); store(out, (k + 1) * N + n, c1, accumulate);
        store(out, (k + 2) * N + n, c2, accumulate); store(out, (k + 3) * N + n, c3, accumulate);
      }
    }
    // Leftover rows of out (K not a multiple of 4): 1×4 tiles, then single entries.
    for (; k < K; k++) {
      let n = 0;
      for (; n + 4 <= N; n += 4) {
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let m = 0, am = k, bm = n; m < M; m++, am += K, bm += N) {
          const x = a[am];
          c0 += x * b[bm]; c1 += x * b[bm + 1]; c2 += x * b[bm + 2]; c3 += x * b[bm + 3];
        }
        const o = k * N + n;
        store(out, o, c0, accumulate); store(out, o + 1, c1, accumulate);
        store(out, o + 2, c2, accumulate); store(out, o + 3, c3, accumulate);
      }
      for (; n < N; n++) {
        let s = 0;
        for (let m = 0, am = k, bm = n; m < M; m++, am += K, bm += N) s += a[am] * b[bm];
        store(out, k * N + n, s, accumulate);
      }
    }
  }

  /** out[M×K] (+)= a[M×N] · b[K×N]ᵀ. Tiles of 4 rows × 4 columns, each a dot product along N. */
  matmulTransB(out: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number, accumulate: boolean): void {
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      let k = 0;
      for (; k + 4 <= K; k += 4) tileTransB4x4(out, a, b, K, N, i, k, accumulate);
      for (; k < K; k++) {
        const bk = k * N, a0 = i * N, a1 = a0 + N, a2 = a1 + N, a3 = a2 + N;
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let n = 0; n < N; n++) {
          const y = b[bk + n];
          c0 += a[a0 + n] * y; c1 += a[a1 + n] * y; c2 += a[a2 + n] * y; c3 += a[a3 + n] * y;
        }
        store(out, i * K + k, c0, accumulate); store(out, (i + 1) * K + k, c1, accumulate);
        store(out, (i + 2) * K + k, c2, accumulate); store(out, (i + 3) * K + k, c3, accumulate);
      }
    }
    // Leftover rows (M not a multiple of 4): 1×4 tiles, then single dot products.
    for (; i < M; i++) {
      const ai = i * N;
      let k = 0;
      for (; k + 4 <= K; k += 4) {
        const r0 = k * N, r1 = r0 + N, r2 = r1 + N, r3 = r2 + N;
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let n = 0; n < N; n++) {
          const x = a[ai + n];
          c0 += x * b[r0 + n]; c1 += x * b[r1 + n]; c2 += x * b[r2 + n]; c3 += x * b[r3 + n];
        }
        const o = i * K + k;
        store(out, o, c0, accumulate); store(out, o + 1, c1, accumulate);
        store(out, o + 2, c2, accumulate); store(out, o + 3, c3, accumulate);
      }
      for (; k < K; k++) {
        const bk = k * N;
        let s = 0;
        for (let n = 0; n < N; n++) s += a[ai + n] * b[bk + n];
        store(out, i * K + k, s, accumulate);
      }
    }
  }

  /** out[N] (+)= Σ_m a[m×N]. */
  sumRows(out: Float32Array, a: Float32Array, M: number, N: number, accumulate: boolean): void {
    if (!accumulate) out.fill(0, 0, N);
    for (let m = 0, am = 0; m < M; m++, am += N) {
      for (let n = 0; n < N; n++) out[n] += a[am + n];
    }
  }
}

/** The backend every engine object uses unless given another. */
export const jsBackend: Backend = new JsBackend();

/** out[o] = v, or out[o] += v when accumulating. */
function store(out: Float32Array, o: number, v: number, accumulate: boolean): void {
  out[o] = accumulate ? out[o] + v : v;
}

/** p[K×4] = columns j..j+3 of b[K×N], row by row, so the tile loop reads them contiguously. */
function packPanel4(p: Float32Array, b: Float32Array, K: number, N: number, j: number): void {
  for (let k = 0, bk = j, q = 0; k < K; k++, bk += N, q += 4) {
    p[q] = b[bk]; p[q + 1] = b[bk + 1]; p[q + 2] = b[bk + 2]; p[q + 3] = b[bk + 3];
  }
}

/** out[i..i+3][j..j+3] = a[i..i+3][:] · panel[K×4] + bias. */
function tile4x4Packed(out: Float32Array, a: Float32Array, p: Float32Array, i: number, j: number, K: number, N: number,
  bias: Float32Array, bj: number, bStep: number): void {
  const b0 = bias[bj], b1 = bias[bj + bStep], b2 = bias[bj + 2 * bStep], b3 = bias[bj + 3 * bStep];
  const a0 = i * K, a1 = a0 + K, a2 = a1 + K, a3 = a2 + K;
  let c00 = b0, c01 = b1, c02 = b2, c03 = b3, c10 = b0, c11 = b1, c12 = b2, c13 = b3;
  let c20 = b0, c21 = b1, c22 = b2, c23 = b3, c30 = b0, c31 = b1, c32 = b2, c33 = b3;
  for (let k = 0, q = 0; k < K; k++, q += 4) {
    const y0 = p[q], y1 = p[q + 1], y2 = p[q + 2], y3 = p[q + 3];
    let x = a[a0 + k];
    c00 += x * y0; c01 += x * y1; c02 += x * y2; c03 += x * y3;
    x = a[a1 + k];
    c10 += x * y0; c11 += x * y1; c12 += x * y2; c13 += x * y3;
    x = a[a2 + k];
    c20 += x * y0; c21 += x * y1; c22 += x * y2; c23 += x * y3;
    x = a[a3 + k];
    c30 += x * y0; c31 += x * y1; c32 += x * y2; c33 += x * y3;
  }
  let o = i * N + j;
  out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03; o += N;
  out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13; o += N;
  out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23; o += N;
  out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
}

/** out[i][j..j+3] = a[i][:] · panel[K×4] + bias (the rows left below the last 4-row tile). */
function tile1x4Packed(out: Float32Array, a: Float32Array, p: Float32Array, i: number, j: number, K: number, N: number,
  bias: Float32Array, bj: number, bStep: number): void {
  const ai = i * K;
  let c0 = bias[bj], c1 = bias[bj + bStep], c2 = bias[bj + 2 * bStep], c3 = bias[bj + 3 * bStep];
  for (let k = 0, q = 0; k < K; k++, q += 4) {
    const x = a[ai + k];
    c0 += x * p[q]; c1 += x * p[q + 1]; c2 += x * p[q + 2]; c3 += x * p[q + 3];
  }
  const o = i * N + j;
  out[o] = c0; out[o + 1] = c1; out[o + 2] = c2; out[o + 3] = c3;
}

/** out[i..i+3][j] = a[i..i+3][:] · b[:][j] + bias (the columns right of the last 4-column panel). */
function tile4x1(out: Float32Array, a: Float32Array, b: Float32Array, i: number, j: number, K: number, N: number,
  bias: Float32Array, bj: number): void {
  const a0 = i * K, a1 = a0 + K, a2 = a1 + K, a3 = a2 + K;
  const c = bias[bj];
  let c0 = c, c1 = c, c2 = c, c3 = c;
  for (let k = 0, bk = j; k < K; k++, bk += N) {
    const y = b[bk];
    c0 += a[a0 + k] * y; c1 += a[a1 + k] * y; c2 += a[a2 + k] * y; c3 += a[a3 + k] * y;
  }
  out[i * N + j] = c0; out[(i + 1) * N + j] = c1; out[(i + 2) * N + j] = c2; out[(i + 3) * N + j] = c3;
}

/** out[k..k+3][n..n+3] (+)= Σ_m a[m][k..k+3]ᵀ · b[m][n..n+3]: both reads are 4 contiguous floats per row m. */
function tileTransA4x4(out: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number,
  k: number, n: number, accumulate: boolean): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let m = 0, am = k, bm = n; m < M; m++, am += K, bm += N) {
    const y0 = b[bm], y1 = b[bm + 1], y2 = b[bm + 2], y3 = b[bm + 3];
    let x = a[am];
    c00 += x * y0; c01 += x * y1; c02 += x * y2; c03 += x * y3;
    x = a[am + 1];
    c10 += x * y0; c11 += x * y1; c12 += x * y2; c13 += x * y3;
    x = a[am + 2];
    c20 += x * y0; c21 += x * y1; c22 += x * y2; c23 += x * y3;
    x = a[am + 3];
    c30 += x * y0; c31 += x * y1; c32 += x * y2; c33 += x * y3;
  }
  let o = k * N + n;
  if (accumulate) {
    out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03; o += N;
    out[o] += c10; out[o + 1] += c11; out[o + 2] += c12; out[o + 3] += c13; o += N;
    out[o] += c20; out[o + 1] += c21; out[o + 2] += c22; out[o + 3] += c23; o += N;
    out[o] += c30; out[o + 1] += c31; out[o + 2] += c32; out[o + 3] += c33;
  } else {
    out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03; o += N;
    out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13; o += N;
    out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23; o += N;
    out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
  }
}

/** out[i..i+3][k..k+3] (+)= a[i..i+3][:] · b[k..k+3][:]ᵀ: 16 dot products sharing their loads. */
function tileTransB4x4(out: Float32Array, a: Float32Array, b: Float32Array, K: number, N: number,
  i: number, k: number, accumulate: boolean): void {
  const a0 = i * N, a1 = a0 + N, a2 = a1 + N, a3 = a2 + N;
  const r0 = k * N, r1 = r0 + N, r2 = r1 + N, r3 = r2 + N;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let n = 0; n < N; n++) {
    const y0 = b[r0 + n], y1 = b[r1 + n], y2 = b[r2 + n], y3 = b[r3 + n];
    let x = a[a0 + n];
    c00 += x * y0; c01 += x * y1; c02 += x * y2; c03 += x * y3;
    x = a[a1 + n];
    c10 += x * y0; c11 += x * y1; c12 += x * y2; c13 += x * y3;
    x = a[a2 + n];
    c20 += x * y0; c21 += x * y1; c22 += x * y2; c23 += x * y3;
    x = a[a3 + n];
    c30 += x * y0; c31 += x * y1; c32 += x * y2; c33 += x * y3;
  }
  let o = i * K + k;
  if (accumulate) {
    out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03; o += K;
    out[o] += c10; out[o + 1] += c11; out[o + 2] += c12; out[o + 3] += c13; o += K;
    out[o] += c20; out[o + 1] += c21; out[o + 2] += c22; out[o + 3] += c23; o += K;
    out[o] += c30; out[o + 1] += c31; out[o + 2] += c32; out[o + 3] += c33;
  } else {
    out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03; o += K;
    out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13; o += K;
    out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23; o += K;
    out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
  }
}
