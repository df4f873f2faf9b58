/**
 * Test images to look inside a CNN with: a few of each class from the run's test split, read by
 * the backend (`runs:samples` of the confusion matrix's diagonal cells, so each is one the model
 * got right), through the run's fitted image preprocessing into the model's input.
 */
import { applyImagePreprocessing } from '../../../shared/data/preprocess.js';
import type { Thumbnail } from '../../../shared/data/summary.js';
import type { RunRecord } from '../../../shared/runs/results.js';
import { thumbnailToRgba } from '../lib/predict.js';
import { runs } from './runs.svelte.js';

export interface InspectImage {
  /** The class (test images) or the place in the batch, as shown. */
  label: string;
  /** The model's input [C·H·W]. */
  x: Float32Array;
  test: boolean;
  thumbnail?: Thumbnail;
}

/** Test images per class of a finished run on image data (two of each of the first ten classes). */
export async function testImages(run: RunRecord, perClass = 2): Promise<InspectImage[]> {
  const state = run.outcome?.preprocessing;
  if (!state || state.kind !== 'image' || state.target.task !== 'classification') return [];
  const classes = state.target.classes.slice(0, 10);
  const found: InspectImage[] = [];
  for (let k = 0; k < classes.length; k++) {
    try {
      const cell = await runs.cellSamples(run.id, k, k, perClass);
      for (const th of cell.images ?? []) found.push({ label: th.label, x: applyImagePreprocessing(state, [thumbnailToRgba(th)]), test: true, thumbnail: th });
    } catch {
      // a cell the backend cannot read (the dataset moved): the training samples remain
    }
  }
  return found;
}
