/** `nn-studio evaluate`: a saved run's metrics on its test split, or on another file with the same columns. */
import { UsageError, type Command } from '../command.js';
import { withProjectRun } from '../project-run.js';
import { curveRows, flatMetrics } from './train.js';
import { evaluateRun } from '../../runs/evaluate.js';

export const evaluate: Command = {
  name: 'evaluate',
  summary: "measure a saved run on its test split, or on another file with the same columns",
  usage: [
    'Usage: nn-studio evaluate <FILE.nnstudio> [--data PATH] [--run ID] [--threshold P] [--json]',
    '',
    "Re-reads the project's dataset, splits it exactly as when the run trained, and prints the",
    'metrics on the test split; with --data, on every row of that file instead (same columns, target included).',
    '',
    '  --data PATH   another dataset with the same columns',
    "  --run ID      which run (default: the project's chosen run, else its latest trained one)",
    "  --threshold P two classes: predict the second class when its probability is ≥ P (default: the run's",
    '                decision threshold, else the more probable class)',
    '  --json        one JSON object: {"metrics": {...}, "runId": ...}; two classes add roc_auc,',
    '                average_precision and "curves": per threshold fpr, tpr, precision, recall',
    '',
    'Two classes also print the area under the ROC curve and the average precision (scikit-learn\'s',
    'roc_auc_score and average_precision_score) of the second class.',
  ].join('\n'),
  options: { data: { type: 'string' }, run: { type: 'string' }, threshold: { type: 'string' }, json: { type: 'boolean' } },
  async run({ positionals, values, out, err }) {
    if (positionals.length !== 1) throw new UsageError('expected one project file (FILE.nnstudio)');
    return withProjectRun(positionals[0], values.run, err, async (_project, run) => {
      const data = typeof values.data === 'string' ? { source: values.data, options: run.config.dataset.options } : undefined;
      const threshold = values.threshold !== undefined ? probability('--threshold', values.threshold) : undefined;
      const result = await evaluateRun(run, data, threshold);
      const m = result.metrics;
      const metrics = { loss: result.loss, ...flatMetrics(m) };
      if (values.json) {
        const curves = m.kind === 'classification' && m.binary ? { curves: curveRows(m.binary) } : {};
        out(JSON.stringify({ runId: run.id, data: data?.source ?? `${run.config.dataset.source} (test split)`, metrics, ...curves }));
      } else {
        out(`run ${run.id} on ${data?.source ?? 'its test split'} (${m.rows} rows):`);
        out(m.kind === 'classification'
          ? `accuracy ${m.accuracy.toFixed(4)}, macro F1 ${m.macro.f1.toFixed(4)}, weighted F1 ${m.weighted.f1.toFixed(4)}`
          : `MSE ${m.mse.toPrecision(4)}, RMSE ${m.rmse.toPrecision(4)}, MAE ${m.mae.toPrecision(4)}, R² ${m.r2.toFixed(4)}`);
        if (m.kind === 'classification') {
          out(m.perClass.map((c) => `${c.label}: precision ${c.precision.toFixed(4)}, recall ${c.recall.toFixed(4)} (${c.support} rows)`).join('; '));
          if (m.binary) out(`ROC AUC ${m.binary.rocAuc.toFixed(4)}, average precision ${m.binary.averagePrecision.toFixed(4)} (positive class ${m.labels[1]})`);
        }
      }
      return 0;
    });
  },
};

function probability(flag: string, value: unknown): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new UsageError(`${flag} expects a probability from 0 to 1, got '${String(value)}'`);
  return n;
}
