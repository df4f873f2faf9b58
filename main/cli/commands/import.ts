/** `nn-studio import`: a PyTorch job's result folder → a run of the project (weights, history, metrics). */
import { resolve } from 'node:path';
import { UsageError, type Command } from '../command.js';
import { DatasetError } from '../../../shared/data/errors.js';
import { ProjectError } from '../../../shared/project/errors.js';
import { openProject, saveProject } from '../../projects/files.js';
import { ImportError, importedRun, readResultFolder } from '../../runs/import-result.js';

export const importCommand: Command = {
  name: 'import',
  summary: "bring a PyTorch job's results (export --format pytorch) back into the project as a run",
  usage: [
    'Usage: nn-studio import <FILE.nnstudio> <RESULT_DIR> [--out FILE2.nnstudio]',
    '',
    'Adds the run that train.py wrote to RESULT_DIR (its --out: job.json, history.jsonl, result.json,',
    "weights.npz) to the project and makes it the chosen run. Its metrics are measured again by the",
    "studio on the project's dataset, split as the job split it.",
    '',
    '  --out FILE2   save the project with the run there (default: the project file itself)',
  ].join('\n'),
  options: { out: { type: 'string' } },
  async run({ positionals, values, out, err }) {
    if (positionals.length !== 2) throw new UsageError('expected a project file and a result folder: nn-studio import FILE.nnstudio RESULT_DIR');
    const [projectPath, folder] = positionals;
    const target = typeof values.out === 'string' && values.out !== '' ? values.out : projectPath;
    try {
      const { project, warnings } = await openProject(projectPath);
      for (const w of warnings) err(`note: ${w.message}`);
      const run = await importedRun(await readResultFolder(resolve(folder)), { datasetSource: project.dataset?.source });
      await saveProject(target, { ...project, runs: [...project.runs, run], chosenRunId: run.id });
      const test = run.outcome!.evaluation.test;
      const m = test?.metrics;
      out(`imported run ${run.id} (${run.outcome!.reason} after ${run.outcome!.epochs} epochs) into ${target}` +
        (m ? `; test ${m.kind === 'classification' ? `accuracy ${m.accuracy.toFixed(4)}` : `R² ${m.r2.toFixed(4)}`}, loss ${test!.loss.toPrecision(5)}` : ''));
      return 0;
    } catch (e) {
      if (e instanceof ImportError || e instanceof ProjectError || e instanceof DatasetError) throw new UsageError(e.message);
      throw e;
    }
  },
};
