/** `nn-studio evaluate`: a saved run's metrics on its test split, or on another file with the same columns. */
import { UsageError, type Command } from '../command.js';
import { withProjectRun } from '../project-run.js';
import { flatMetrics } from './train.js';
import { evaluateRun } from '../../runs/evaluate.js';

export const evaluate: Command = {
  name: 'evaluate',
  summary: "measure a saved run on its test split, or on another file with the same columns",
  usage: [
    'Usage: nn-studio evaluate <FILE.nnstudio> [--data PATH] [--run ID] [--json]',
    '',
    "Re-reads the project's dataset, splits it exactly as when the run trained, and prints the",
    'metrics on the test split; with --data, on every row of that file instead (same columns, target included).',
    '',
    '  --data PATH   another dataset with the same columns',
    "  --run ID      which run (default: the project's chosen run, else its latest trained one)",
    '  --json        one JSON object: {"metrics": {...}, "runId": ...}',
  ].join('\n'),
  options: { data: { type: 'string' }, run: { type: 'string' }, json: { type: 'boolean' } },
  async run({ positionals, values, out, err }) {
    if (positionals.length !== 1) throw new UsageError('expected one project file (FILE.nnstudio)');
    return withProjectRun(positionals[0], values.run, err, async (_project, run) => {
      const data = typeof values.data === 'string' ? { source: values.data, options: run.config.dataset.options } : undefined;
      const result = await evaluateRun(run, data);
      const metrics = { loss: result.loss, ...flatMetrics(result.metrics) };
      if (values.json) {
        out(JSON.stringify({ runId: run.id, data: data?.source ?? `${run.config.dataset.source} (test split)`, metrics }));
      } else {
        const m = result.metrics;
        out(`run ${run.id} on ${data?.source ?? 'its test split'} (${m.rows} rows):`);
        out(m.kind === 'classification'
          ? `accuracy ${m.accuracy.toFixed(4)}, macro F1 ${m.macro.f1.toFixed(4)}, weighted F1 ${m.weighted.f1.toFixed(4)}`
          : `MSE ${m.mse.toPrecision(4)}, RMSE ${m.rmse.toPrecision(4)}, MAE ${m.mae.toPrecision(4)}, R² ${m.r2.toFixed(4)}`);
      }
      return 0;
    });
  },
};
