/**
 * The same backend in a real browser (Debian's Chromium, as Electron's renderer would run it):
 * shared/nn/wasm has no Node API, picks relaxed SIMD where the engine has it natively, takes
 * shared memory in a cross-origin-isolated page and private memory in a plain one, and computes
 * the same products as in Node.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { chromium, type Browser } from '@playwright/test';
import { appRoot } from '../../../main/paths.js';
import { wasmDir } from '../../../main/engine/wasm-node.js';
import { ensureKernelsBuilt } from './kernels-built.js';

/** localhost: a secure context (cross-origin isolation needs one); every request is answered by page.route. */
const ORIGIN = 'http://localhost:47613';
const CHROMIUM = process.env.NN_STUDIO_CHROMIUM ?? '/usr/bin/chromium';

/** Runs in the page: load the chosen variant by fetch, multiply, compare with a plain triple loop. */
const PAGE_ENTRY = `
import { chooseWasmVariant, detectWasmFeatures } from ${JSON.stringify(join(appRoot, 'shared/nn/wasm/features.ts'))};
import { WasmBackend } from ${JSON.stringify(join(appRoot, 'shared/nn/wasm/wasm-backend.ts'))};
globalThis.runKernels = async () => {
  const features = detectWasmFeatures();
  const variant = chooseWasmVariant(features);
  const module = await WebAssembly.compileStreaming(fetch('/wasm/' + variant.file));
  const be = await WasmBackend.create({ module, variant, reserveMiB: 16 });
  const [M, K, N] = [33, 65, 17];
  const a = be.alloc(M * K).map((_, i) => Math.sin(i)), b = be.alloc(K * N).map((_, i) => Math.cos(i)), out = be.alloc(M * N);
  be.matmul(out, a, b, M, K, N);
  let err = 0;
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
    err = Math.max(err, Math.abs(s - out[i * N + j]));
  }
  const s = be.alloc(3);
  be.activationForward('sigmoid', s, new Float32Array([0, 2, -2]), 1, 3);
  return { features, file: variant.file, name: be.name, isolated: crossOriginIsolated, err, sigmoid: Array.from(s) };
};
`;

describe('in Chromium', () => {
  let browser: Browser;
  let script: string;

  beforeAll(async () => {
    await ensureKernelsBuilt();
    const bundled = await build({ stdin: { contents: PAGE_ENTRY, resolveDir: appRoot, loader: 'ts' }, bundle: true, format: 'esm', write: false, logLevel: 'error' });
    script = bundled.outputFiles[0].text;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function run(isolated: boolean) {
    const page = await browser.newPage();
    const headers: Record<string, string> = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ headers, contentType: 'text/html', body: '<script type="module" src="/kernels.js"></script>' });
      if (path === '/kernels.js') return route.fulfill({ headers, contentType: 'text/javascript', body: script });
      return route.fulfill({ headers, contentType: 'application/wasm', body: readFileSync(join(wasmDir, path.replace('/wasm/', ''))) });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => 'runKernels' in globalThis);
    const result = await page.evaluate(() => (globalThis as unknown as { runKernels(): Promise<Record<string, unknown>> }).runKernels());
    await page.close();
    return result as { features: { simd: boolean; relaxedSimd: boolean; sharedMemory: boolean }; file: string; name: string; isolated: boolean; err: number; sigmoid: number[] };
  }

  it('uses relaxed SIMD and shared memory in a cross-origin-isolated page', async () => {
    const r = await run(true);
    expect(r.isolated).toBe(true);
    expect(r.features).toEqual({ simd: true, relaxedSimd: true, sharedMemory: true });
    expect(r.file).toBe('kernels-relaxed-simd-threads.wasm');
    expect(r.name).toBe('wasm-relaxed-simd');
    expect(r.err).toBeLessThan(1e-4);
    expect(r.sigmoid[0]).toBe(0.5);
    expect(r.sigmoid[1]).toBeCloseTo(0.8807971, 6);
  });

  it('falls back to private memory where SharedArrayBuffer is unavailable', async () => {
    const r = await run(false);
    expect(r.isolated).toBe(false);
    expect(r.features.sharedMemory).toBe(false);
    expect(r.file).toBe('kernels-relaxed-simd.wasm');
    expect(r.err).toBeLessThan(1e-4);
  });
});
