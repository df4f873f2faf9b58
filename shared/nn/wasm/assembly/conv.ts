// @ts-nocheck — AssemblyScript (compiled to WebAssembly by build/scripts/build-wasm.mjs), not TypeScript.
/**
 * The convolution and pooling layers' data movement, the same definitions as
 * shared/nn/layers/im2col.ts and pool.ts (which are the reference): col2im from the column matrices
 * col[b][(c·k + i)·k + j][oh·OW + ow] back to NCHW images (conv2d.ts's input gradient, per image),
 * and the per-channel bias gradient. Memory-bound, one thread.
 */

/** dinp[B×C×H×W] = the adjoint of im2col applied to dcol (overwrites dinp). */
export function col2im(dinp: usize, dcol: usize, B: i32, C: i32, H: i32, W: i32, k: i32, stride: i32, padTop: i32, padLeft: i32, OH: i32, OW: i32): void {
  memory.fill(dinp, 0, <usize>(B * C * H * W) << 2);
  let o = dcol;
  const rowBytes = <usize>OW << 2;
  for (let p = 0; p < B * C; p++) {
    const plane = dinp + (<usize>p * <usize>(H * W) << 2);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const first = max<i32>(0, (padLeft - j + stride - 1) / stride);
        const last = min<i32>(OW, (W - 1 + padLeft - j) / stride + 1);
        for (let oh = 0; oh < OH; oh++, o += rowBytes) {
          const ih = oh * stride + i - padTop;
          if (ih < 0 || ih >= H) continue;
          let d = plane + (<usize>(ih * W + first * stride + j - padLeft) << 2);
          if (stride == 1) {
            let ow = first;
            for (; ow + 4 <= last; ow += 4, d += 16) v128.store(d, f32x4.add(v128.load(d), v128.load(o + (<usize>ow << 2))));
            for (; ow < last; ow++, d += 4) store<f32>(d, load<f32>(d) + load<f32>(o + (<usize>ow << 2)));
          } else {
            const step = <usize>stride << 2;
            for (let ow = first; ow < last; ow++, d += step) store<f32>(d, load<f32>(d) + load<f32>(o + (<usize>ow << 2)));
          }
        }
      }
    }
  }
}

/** out[c] (+)= Σ_b Σ_p a[b][c][p]. */
export function sumChannels(out: usize, a: usize, B: i32, C: i32, P: i32, accumulate: bool): void {
  if (!accumulate) memory.fill(out, 0, <usize>C << 2);
  let o = a;
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      let s4 = f32x4.splat(0);
      let p = 0;
      for (; p + 4 <= P; p += 4, o += 16) s4 = f32x4.add(s4, v128.load(o));
      let s: f32 = f32x4.extract_lane(s4, 0) + f32x4.extract_lane(s4, 1) + f32x4.extract_lane(s4, 2) + f32x4.extract_lane(s4, 3);
      for (; p < P; p++, o += 4) s += load<f32>(o);
      const at = out + (<usize>c << 2);
      store<f32>(at, load<f32>(at) + s);
    }
  }
}
