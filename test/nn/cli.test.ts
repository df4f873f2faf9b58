/** `nn-studio gradcheck` and `nn-studio bench`, run as a person runs them (the package's bin, a real process). */
import { describe, expect, it } from 'vitest';
import { nnStudio } from '../cli/run.js';

describe('nn-studio gradcheck', () => {
  it('prints the max relative error of every tensor and exits 0 when all are below 1e-5', () => {
    const { code, stdout } = nnStudio(['gradcheck', '--layers', '8:tanh,4:sigmoid', '--inputs', '3', '--outputs', '2']);
    expect(code).toBe(0);
    expect(stdout).toContain('Gradient check of 3-8(tanh)-4(sigmoid)-2(identity), loss mse');
    const rows = stdout.split('\n').filter((l) => l.includes('max relative error') && l.includes('layer'));
    expect(rows.map((l) => l.trim().split(/\s+/).slice(0, 4).join(' '))).toEqual([
      'layer 1 W [3×8]', 'layer 1 b [8]', 'layer 2 W [8×4]', 'layer 2 b [4]', 'layer 3 W [4×2]', 'layer 3 b [2]',
    ]);
    expect(stdout).toMatch(/^passed: max relative error \S+ ≤ 1e-5$/m);
  });

  it('--json gives one object; penalties and other losses are checked too', () => {
    const { code, stdout } = nnStudio(['gradcheck', '--layers', '6:elu', '--outputs', '3', '--loss', 'categorical-crossentropy', '--l1', '0.01', '--l2', '0.01', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ network: '3-6(elu)-3(softmax)', lossFunction: 'categorical-crossentropy', ok: true, threshold: 1e-5, h: 1e-4 });
    expect(result.tensors).toHaveLength(4);
    for (const t of result.tensors) expect(t.maxRelError).toBeLessThan(1e-5);
  });

  it('exits 1 when the error is too large (here: a step h far too coarse for the curvature)', () => {
    const { code, stdout } = nnStudio(['gradcheck', '--layers', '8:tanh', '--h', '0.5']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAILED: max relative error \S+ > 1e-5$/m);
  });

  it('refuses a step activation with one line and exit 2', () => {
    const step = nnStudio(['gradcheck', '--layers', '4:step']);
    expect(step.code).toBe(2);
    expect(step.stderr.trim().split('\n')).toHaveLength(1);
    expect(step.stderr).toMatch(/^nn-studio gradcheck: model spec, layers\.0\.activation: 'step' has no useful derivative/);
  });
});

describe('nn-studio bench', () => {
  it('--json prints one line per workload with its throughput', () => {
    const { code, stdout } = nnStudio(['bench', '--json', '--workload', 'tiny', '--backend', 'js', '--scale', '0.2']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]);
    expect(r).toMatchObject({ workload: 'tiny', backend: 'js', threads: 1, plan: 'js ×1 · typed layers · optimizer · gather javascript' });
    expect(r.samples).toBe(r.runs * 500 * 10); // whole runs of 10 epochs (0.2 of 50), repeated to fill half a second
    expect(r.samples_per_s).toBeGreaterThan(0);
    expect(r.seconds).toBeGreaterThanOrEqual(0.5);
    expect(r.gflops).toBeGreaterThan(0);
    expect(r.final_loss).toBeLessThan(0.7); // it trained: BCE starts near ln 2
  });
});
