/** The benchmark workloads are peers.py's: same networks, batch counts and data shapes. */
import { describe, expect, it } from 'vitest';
import { circles, runWorkload, syntheticImages } from '../../shared/nn/index.js';

describe('benchmark workloads', () => {
  it('synthetic images: 784 uniform [0, 1) floats per row, one-hot labels over 10 classes', () => {
    const d = syntheticImages(50, 0);
    expect(d.x.length).toBe(50 * 784);
    expect(Math.min(...d.x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d.x)).toBeLessThan(1);
    for (let r = 0; r < 50; r++) expect(d.y.subarray(r * 10, r * 10 + 10).reduce((s, v) => s + v, 0)).toBe(1);
  });

  it('circles: half inside radius 2 (label 1), half in the ring 3–5 (label 0)', () => {
    const d = circles(500, 0);
    for (let i = 0; i < 500; i++) {
      const r = Math.hypot(d.x[2 * i], d.x[2 * i + 1]);
      if (d.y[i] === 1) expect(r).toBeLessThan(2);
      else expect(r).toBeGreaterThanOrEqual(3 - 1e-6);
    }
    expect(d.y.reduce((s, v) => s + v, 0)).toBe(250);
  });

  it('seed2layer is 784-50-10 trained on random batches of 100; mlp is 784-256-128-10 in batches of 128', () => {
    const s2 = runWorkload('seed2layer', { scale: 0.01, warmup: false, minSeconds: 0 });
    expect(s2.samples).toBe(20 * 100); // 1% of 2000 iterations
    expect(s2.gflops * 1e9 * s2.seconds / s2.samples).toBeCloseTo(2 * 784 * 50 * 2 + 2 * 50 * 10 * 3, 0);
    const mlp = runWorkload('mlp', { scale: 0.01, warmup: false, minSeconds: 0 });
    expect(mlp.samples).toBe(600 * 3); // 1% of the 60000 rows, 3 epochs
    expect(mlp.gflops * 1e9 * mlp.seconds / mlp.samples).toBeCloseTo(2 * (784 * 256 * 2 + 256 * 128 * 3 + 128 * 10 * 3), 0);
    expect(mlp).toMatchObject({ workload: 'mlp', backend: 'js', threads: 1, runs: 1, plan: 'js ×1 · typed layers · optimizer · gather javascript' });
  });

  it('a workload shorter than the shortest timed span is run again, each run whole, and reported over all runs', () => {
    const tiny = runWorkload('tiny', { warmup: false, minSeconds: 0.05 });
    expect(tiny.seconds).toBeGreaterThanOrEqual(0.05);
    expect(tiny.runs).toBeGreaterThanOrEqual(1);
    expect(tiny.samples).toBe(tiny.runs * 50 * 500); // peers.py's tiny: 50 epochs of the 500 points, per run
    expect(tiny.samples_per_s).toBeCloseTo(tiny.samples / tiny.seconds, 6);
  });

  it('lenet and cnn are peers.py\'s convolutional networks on 1×28×28, in batches of 64 and 128', () => {
    const lenet = runWorkload('lenet', { scale: 0.01, warmup: false, minSeconds: 0 });
    expect(lenet.samples).toBe(3 * 64); // 1% of 300 steps
    // Multiply-adds worked out by hand: conv1 6·1·25·28·28, conv2 16·6·25·10·10, dense 400·120, 120·84, 84·10.
    expect(lenet.gflops * 1e9 * lenet.seconds / lenet.samples).toBeCloseTo(2 * (117_600 * 2 + (240_000 + 48_000 + 10_080 + 840) * 3), 0);
    const cnn = runWorkload('cnn', { scale: 0.0125, warmup: false, minSeconds: 0 });
    expect(cnn.samples).toBe(1 * 128);
    // conv1 32·1·9·26·26, conv2 64·32·9·11·11, dense 1600·128, 128·10.
    expect(cnn.gflops * 1e9 * cnn.seconds / cnn.samples).toBeCloseTo(2 * (194_688 * 2 + (2_230_272 + 204_800 + 1_280) * 3), 0);
    expect(Number.isFinite(cnn.final_loss)).toBe(true);
  });
});
