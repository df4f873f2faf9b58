/**
 * A regression project saved before targets were standardised (test/fixtures/projects/
 * linear-unscaled-v2.*, made by test/fixtures/make-regression-v2-project.mjs with that day's CLI)
 * holds a model trained on raw targets. It opens and evaluates and predicts exactly as it did:
 * the expected outputs were written by the old code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatMetrics } from '../../main/cli/commands/train.js';
import { runPredictionsCsv } from '../../main/export/index.js';
import { openProject } from '../../main/projects/files.js';
import { evaluateRun } from '../../main/runs/evaluate.js';
import { pickRunToExport } from '../../shared/export/index.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'projects');
const expected = JSON.parse(readFileSync(join(fixtures, 'linear-unscaled-v2.evaluate.json'), 'utf8')) as { runId: string; metrics: unknown };

describe('a regression project from before target scaling', () => {
  it('evaluates its own test split and predicts its CSV exactly as the code that wrote it did', async () => {
    const { project } = await openProject(join(fixtures, 'linear-unscaled-v2.nnstudio'));
    const run = pickRunToExport(project.runs, project.chosenRunId);
    expect(run.id).toBe(expected.runId);
    expect(run.config.dataset.options.seed).toBeUndefined(); // it split by its training seed, and still does
    const result = await evaluateRun(run);
    expect({ loss: result.loss, ...flatMetrics(result.metrics) }).toEqual(expected.metrics);
    const csv = await runPredictionsCsv(run, { source: join(fixtures, 'linear-unscaled-v2.csv'), options: run.config.dataset.options }, project.name);
    expect(csv).toBe(readFileSync(join(fixtures, 'linear-unscaled-v2.predict.csv'), 'utf8'));
  });
});
