/** The Runs page's line about a run says which epoch's weights it kept and whether it was refitted (issue 16, item 2). */
import { describe, expect, it } from 'vitest';
import { runSummary } from '../../renderer/src/lib/runinfo.js';
import { trainRun } from '../export/fixtures.js';

describe('runSummary', () => {
  it('names the kept (best validation) epoch, the split seed and a refit', async () => {
    const run = await trainRun({ dataset: { source: 'sample:iris', options: { seed: 5 } }, training: { epochs: 80, patience: 0, refit: true } });
    const o = run.outcome!;
    const losses = o.history.map((h) => h.valLoss!);
    const info = runSummary(run);
    expect(info.keptEpoch).toBe(losses.indexOf(Math.min(...losses)) + 1);
    expect(info.epochs).toBe(80);
    expect(info.refit).toBe(true);
    expect(info.settings).toContain('split seed 5');
  }, 60_000);

  it('a run without validation rows keeps no chosen epoch', async () => {
    const run = await trainRun({ dataset: { source: 'sample:iris', options: { split: { train: 0.8, validation: 0, test: 0.2 } } }, training: { epochs: 10 } });
    expect(runSummary(run).keptEpoch).toBeNull();
    expect(runSummary(run).refit).toBe(false);
  }, 60_000);
});
