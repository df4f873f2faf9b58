/** `nn-studio export`: a trained run of a project → ONNX, TF.js, a JS or Python module, JSON, a predictions CSV, or a PyTorch training job. */
import { stat } from 'node:fs/promises';
import { UsageError, type Command } from '../command.js';
import { withProjectRun } from '../project-run.js';
import { ExportFormat, EXPORT_FORMAT_IDS } from '../../../shared/export/index.js';
import { formatBytes } from '../../data/budget.js';
import { exportRun } from '../../export/index.js';
import { exportPytorchJob } from '../../export/pytorch.js';

/** The formats of this command: the model formats, and a PyTorch training job (a folder, not a model file). */
const FORMATS = [...EXPORT_FORMAT_IDS, 'pytorch'];

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a trained run of a project (ONNX, TF.js, JS, Python, JSON, predictions CSV, PyTorch job)',
  usage: [
    'Usage: nn-studio export <FILE.nnstudio> --format F --out PATH [--run ID] [--data PATH] [--npz]',
    '',
    'Writes a trained run of the project so it runs elsewhere. Every format takes raw data: the',
    'fitted preprocessing (normalisation, one-hot encoding, pixel scaling) is built in.',
    '',
    `  --format F    ${FORMATS.join(' | ')}`,
    '                onnx: model.onnx (inputs "features" float32 [N, F], "categories" string [N, C])',
    '                tfjs: model.json + weights.bin, for tf.loadLayersModel',
    '                js: an ES module with predict(rows), no dependencies',
    '                python: a module needing only NumPy, with predict(X) and predict_proba(X)',
    '                json: the spec, preprocessing and weights; csv: predictions for a dataset',
    '                pytorch: a folder with model.py, data.py, train.py (torchrun/DDP) and README.md;',
    '                bring its results back with `nn-studio import`',
    '  --out PATH    the file to write (a folder: the format\'s usual file name inside it)',
    '  --run ID      which run (default: the project\'s chosen run, else its latest trained one)',
    '  --data PATH   csv: the dataset to predict (default: the project\'s dataset)',
    '  --npz         python: weights in an .npz beside the module (default: inline)',
  ].join('\n'),
  options: {
    format: { type: 'string' },
    out: { type: 'string' },
    run: { type: 'string' },
    data: { type: 'string' },
    npz: { type: 'boolean' },
  },
  async run({ positionals, values, out, err }) {
    if (positionals.length !== 1) throw new UsageError('expected one project file (FILE.nnstudio)');
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError('--out PATH is required: where to write the export');
    if (values.format === 'pytorch') {
      if (values.data !== undefined || values.npz) throw new UsageError(`${values.data !== undefined ? '--data' : '--npz'} is not for --format pytorch (train.py takes --data PATH)`);
      const folder = values.out;
      return withProjectRun(positionals[0], values.run, err, async (project, run) => {
        const written = await exportPytorchJob(run.config, folder, { trained: run.outcome, runId: run.id, name: project.name });
        out(`wrote a PyTorch job for run ${run.id} in ${folder} (${written.length} files); see its README.md`);
        return 0;
      });
    }
    const format = ExportFormat.safeParse(values.format);
    if (!format.success) throw new UsageError(`--format expects one of ${FORMATS.join(', ')}, got ${values.format === undefined ? 'nothing' : `'${String(values.format)}'`}`);
    if (values.data !== undefined && format.data !== 'csv') throw new UsageError('--data is for --format csv only');
    if (values.npz && format.data !== 'python') throw new UsageError('--npz is for --format python only');
    const target = values.out; // narrowed to a string above
    return withProjectRun(positionals[0], values.run, err, async (project, run) => {
      // --data: another file read like the run's dataset; without it the CSV predicts the run's own dataset.
      const data = typeof values.data === 'string' ? { source: values.data, options: run.config.dataset.options } : undefined;
      const written = await exportRun(run, format.data, target, { name: project.name, data, pythonWeights: values.npz ? 'npz' : 'inline' });
      for (const path of written) out(`wrote ${path} (${formatBytes((await stat(path)).size)})`);
      return 0;
    });
  },
};
