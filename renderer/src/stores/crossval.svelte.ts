/**
 * Cross-validation from the Results page (issue 16, item 5): the chosen run's settings trained
 * once per fold, each run judged on its own fold, summarised as mean ± sd per metric. The fold
 * runs are ordinary runs (they show in the Runs list and are saved with the project); this store
 * only remembers which runs are the folds of which run.
 */
import { DEFAULT_FOLDS, foldConfig, summarizeFolds, type MetricSummary } from '../../../shared/runs/cross-validation.js';
import type { RunRecord } from '../../../shared/runs/results.js';
import { studio } from '../lib/studio.js';
import { runs } from './runs.svelte.js';

export interface CrossValidationState {
  folds: number;
  /** Fold runs finished so far. */
  done: number;
  /** The first fold that failed, if one did. */
  failed: { fold: number; message: string } | null;
  /** Mean ± sd per metric once every fold has finished. */
  metrics: MetricSummary[] | null;
}

class CrossValidationStore {
  /** Base run id → its fold runs' ids, in fold order. */
  private groups = $state<Record<string, string[]>>({});
  error = $state<string | null>(null);

  /** Starts one run per fold with the base run's settings (queued: they train as slots free up). */
  async start(base: RunRecord, folds = DEFAULT_FOLDS): Promise<void> {
    this.error = null;
    const ids: string[] = [];
    try {
      for (let i = 0; i < folds; i++) ids.push((await studio.call('runs:start', foldConfig(base.config, folds, i))).id);
    } catch (e) {
      this.error = (e as Error).message;
    }
    this.groups = { ...this.groups, [base.id]: ids };
  }

  /** Where the cross-validation of `baseId` stands, or null when none was started. */
  stateOf(baseId: string): CrossValidationState | null {
    const ids = this.groups[baseId];
    if (!ids) return null;
    const records = ids.map((id) => runs.records.find((r) => r.id === id));
    const failedAt = records.findIndex((r) => r?.state === 'failed');
    const tests = records.map((r) => r?.outcome?.evaluation.test ?? null);
    const done = tests.filter((t) => t !== null).length;
    return {
      folds: ids.length,
      done,
      failed: failedAt >= 0 ? { fold: failedAt + 1, message: records[failedAt]!.error?.message ?? '' } : null,
      metrics: done === ids.length && done > 0 ? summarizeFolds(tests.filter((t) => t !== null)) : null,
    };
  }
}

export const crossValidation = new CrossValidationStore();
