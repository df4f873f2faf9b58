// @ts-nocheck — AssemblyScript (compiled to WebAssembly by build/scripts/build-wasm.mjs), not TypeScript.
/** Reductions over the batch rows (bias gradients). Memory-bound and small: one thread. */

/** out[N] (+)= Σ_m a[m, 0..N]: 16 columns at a time down all rows, so a is read exactly once. */
export function sumRows(out: usize, a: usize, M: i32, N: i32, accumulate: bool): void {
  const ld = <usize>N << 2;
  let j = 0;
  for (; j + 16 <= N; j += 16) {
    const col = <usize>j << 2;
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
    if (accumulate) {
      s0 = v128.load(out + col); s1 = v128.load(out + col, 16); s2 = v128.load(out + col, 32); s3 = v128.load(out + col, 48);
    }
    let p = a + col;
    for (let m = 0; m < M; m++) {
      s0 = f32x4.add(s0, v128.load(p)); s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32)); s3 = f32x4.add(s3, v128.load(p, 48));
      p += ld;
    }
    v128.store(out + col, s0); v128.store(out + col, s1, 16); v128.store(out + col, s2, 32); v128.store(out + col, s3, 48);
  }
  for (; j + 4 <= N; j += 4) {
    const col = <usize>j << 2;
    let s = accumulate ? v128.load(out + col) : f32x4.splat(0);
    let p = a + col;
    for (let m = 0; m < M; m++) {
      s = f32x4.add(s, v128.load(p));
      p += ld;
    }
    v128.store(out + col, s);
  }
  for (; j < N; j++) {
    const col = <usize>j << 2;
    let s: f32 = accumulate ? load<f32>(out + col) : 0;
    let p = a + col;
    for (let m = 0; m < M; m++) {
      s += load<f32>(p);
      p += ld;
    }
    store<f32>(out + col, s);
  }
}
