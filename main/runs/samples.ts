/**
 * The test rows behind one cell of a finished run's confusion matrix: what the Results page
 * shows when a cell is opened — the images themselves for image data, the rows as the file had
 * them for tables. The dataset is read and split exactly as when the run trained.
 */
import { resolveOptions } from '../../shared/data/options.js';
import { prepareLoaded, type PreparedDataset } from '../../shared/data/prepare.js';
import { imageAt } from '../../shared/data/images.js';
import { cellAt, cellLabel } from '../../shared/data/table.js';
import { trainedModel, classProbabilities } from '../../shared/runs/predict.js';
import { datasetOptionsOf } from '../../shared/runs/config.js';
import type { CellSamples, RunOutcome, RunRecord } from '../../shared/runs/results.js';
import type { LoadedDataset } from '../../shared/data/dataset.js';
import { loadDataset } from '../data/index.js';

/** The run's test split and its predictions: what every cell of one confusion matrix reads. */
interface JudgedTestSplit {
  runId: string;
  loaded: LoadedDataset;
  test: PreparedDataset['test'];
  probabilities: number[][];
}

/**
 * The last run whose cells were opened: a person opens several cells of one matrix in a row, and
 * re-reading and re-splitting the dataset for each (a second for MNIST) would be wasted.
 */
let lastJudged: Promise<JudgedTestSplit> | null = null;

async function judgeTestSplit(run: RunRecord, outcome: RunOutcome): Promise<JudgedTestSplit> {
  const options = resolveOptions(datasetOptionsOf(run.config));
  const loaded = await loadDataset(run.config.dataset.source, options);
  const { test } = prepareLoaded(loaded, options);
  const model = trainedModel(outcome);
  return { runId: run.id, loaded, test, probabilities: classProbabilities(model.predict(test.x, test.count), test.count, model.outputs) };
}

/** Up to `limit` test rows whose actual class is `actual` and predicted class `predicted`, most confident first. */
export async function cellSamples(run: RunRecord, actual: number, predicted: number, limit: number): Promise<CellSamples> {
  const outcome = run.outcome;
  if (!outcome) throw new Error(`run ${run.id} has no trained model`);
  if (outcome.spec.task !== 'classification') return { total: 0, confidence: [] };
  const cached = lastJudged && (await lastJudged.catch(() => null));
  if (cached?.runId !== run.id) {
    lastJudged = judgeTestSplit(run, outcome);
  }
  const { loaded, test, probabilities } = await lastJudged!;
  const hits: { row: number; confidence: number }[] = [];
  probabilities.forEach((p, i) => {
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
    if (test.y[i] === actual && best === predicted) hits.push({ row: i, confidence: p[best] });
  });
  hits.sort((a, b) => b.confidence - a.confidence);
  const shown = hits.slice(0, limit);
  const confidence = shown.map((h) => h.confidence);
  if (loaded.kind === 'images') {
    // IDX data keeps its own test set; otherwise the test rows index the one set of images.
    const set = loaded.test ?? loaded.train;
    const images = shown.map(({ row }) => ({
      label: set.classes[set.labels[test.rows[row]]],
      width: set.width,
      height: set.height,
      channels: set.channels,
      pixels: Array.from(imageAt(set, test.rows[row])),
    }));
    return { total: hits.length, confidence, images };
  }
  const { table } = loaded;
  const text = (i: number) => table.columns.map((c) => cellLabel(cellAt(c, i)) ?? '');
  return { total: hits.length, confidence, columns: table.columns.map((c) => c.name), rows: shown.map(({ row }) => text(test.rows[row])) };
}
