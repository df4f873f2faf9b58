/** `nn-studio predict`: a saved run's predictions for every row of a file, as CSV. */
import { UsageError, type Command } from '../command.js';
import { withProjectRun } from '../project-run.js';
import { exportRun, runPredictionsCsv } from '../../export/index.js';

export const predict: Command = {
  name: 'predict',
  summary: 'predict every row of a file with a saved run (CSV out)',
  usage: [
    'Usage: nn-studio predict <FILE.nnstudio> <PATH> [--out FILE.csv] [--run ID]',
    '',
    'Reads PATH like the run\'s dataset, applies the run\'s fitted preprocessing and prints the rows',
    'with a `prediction` column (the class name, or the value) and, for classification, one',
    'probability column per class named p_<class>.',
    '',
    '  --out FILE.csv   write the CSV there (default: standard output)',
    "  --run ID         which run (default: the project's chosen run, else its latest trained one)",
  ].join('\n'),
  options: { out: { type: 'string' }, run: { type: 'string' } },
  async run({ positionals, values, out, err }) {
    if (positionals.length !== 2) throw new UsageError('expected a project file and a dataset: predict FILE.nnstudio PATH');
    return withProjectRun(positionals[0], values.run, err, async (project, run) => {
      const data = { source: positionals[1], options: run.config.dataset.options };
      if (typeof values.out === 'string') {
        const [written] = await exportRun(run, 'csv', values.out, { name: project.name, data });
        err(`wrote ${written}`);
      } else {
        process.stdout.write(await runPredictionsCsv(run, data, project.name));
      }
      return 0;
    });
  },
};
