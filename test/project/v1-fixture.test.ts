/**
 * A project written by the studio before model spec v2 (test/fixtures/projects/iris-dense-v1.*,
 * made by test/fixtures/make-v1-project.mjs with that day's CLI) opens, is migrated, and evaluates
 * and predicts exactly as it did then: the expected outputs were written by the old code.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatMetrics } from '../../main/cli/commands/train.js';
import { runPredictionsCsv } from '../../main/export/index.js';
import { openProject, saveProject } from '../../main/projects/files.js';
import { evaluateRun } from '../../main/runs/evaluate.js';
import { pickRunToExport } from '../../shared/export/index.js';
import { PROJECT_VERSION } from '../../shared/project/schema.js';
import type { Project } from '../../shared/project/schema.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'projects');
const file = join(fixtures, 'iris-dense-v1.nnstudio');
const expectedEvaluation = JSON.parse(readFileSync(join(fixtures, 'iris-dense-v1.evaluate.json'), 'utf8')) as { runId: string; metrics: unknown };
const expectedPredictions = readFileSync(join(fixtures, 'iris-dense-v1.predict.csv'), 'utf8');

/** What `nn-studio evaluate --json` and `nn-studio predict FILE sample:iris` print for a project. */
async function evaluateAndPredict(project: Project): Promise<{ runId: string; metrics: unknown; csv: string }> {
  const run = pickRunToExport(project.runs, project.chosenRunId);
  const result = await evaluateRun(run);
  const csv = await runPredictionsCsv(run, { source: 'sample:iris', options: run.config.dataset.options }, project.name);
  return { runId: run.id, metrics: { loss: result.loss, ...flatMetrics(result.metrics) }, csv };
}

describe('a version-1 project from before model spec v2', () => {
  it('opens with a migration note and its run\'s spec in version 2 (dense, dropout, dense)', async () => {
    const { project, warnings } = await openProject(file);
    expect(warnings.map((w) => w.code)).toContain('migrated');
    const spec = project.runs[0].outcome!.spec;
    expect(spec.version).toBe(2);
    expect(spec.input).toEqual([4]);
    expect(spec.layers).toEqual([
      { type: 'dense', units: 8, activation: 'relu', bias: true },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 3, activation: 'softmax', bias: true },
    ]);
    expect(project.runs[0].config.model.hidden).toEqual([{ type: 'dense', units: 8, activation: 'relu', bias: true }]);
  });

  it('evaluates and predicts exactly as the code that wrote it did', async () => {
    const { project } = await openProject(file);
    const now = await evaluateAndPredict(project);
    expect(now.runId).toBe(expectedEvaluation.runId);
    // Every metric to the bit; the loss to 1e-8: it is now taken from the logits by log-sum-exp
    // (losses.ts), where the code that wrote the file took −ln of the float32 probabilities.
    const { loss, ...metrics } = now.metrics as Record<string, unknown>;
    const { loss: expectedLoss, ...expectedMetrics } = expectedEvaluation.metrics as Record<string, unknown>;
    expect(metrics).toEqual(expectedMetrics);
    expect(Math.abs((loss as number) - (expectedLoss as number))).toBeLessThan(1e-8);
    expect(now.csv).toBe(expectedPredictions);
  });

  it('saved again, it is a current-version file that still predicts the same', async () => {
    const { project } = await openProject(file);
    const again = join(mkdtempSync(join(tmpdir(), 'nn-v1-')), 'again.nnstudio');
    await saveProject(again, project);
    const reopened = await openProject(again);
    expect(reopened.warnings.map((w) => w.code)).not.toContain('migrated');
    expect(JSON.parse(JSON.stringify(reopened.project.runs[0].outcome!.spec))).toMatchObject({ version: 2 });
    expect((await evaluateAndPredict(reopened.project)).csv).toBe(expectedPredictions);
    expect(PROJECT_VERSION).toBe(2);
  });
});
