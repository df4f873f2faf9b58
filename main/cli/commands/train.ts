/** `nn-studio train`: one training run, in a worker process, from the command line. */
import { UsageError, type Command } from '../command.js';
import { datasetOptionsFromFlags } from './inspect.js';
import { createBackend } from '../../backend.js';
import { Grants } from '../../services/grants.js';
import { forkNodeWorker } from '../../workers/process.js';
import { ACTIVATION_NAMES } from '../../../shared/nn/activations.js';
import { LOSS_NAMES, type LossName } from '../../../shared/nn/losses.js';
import { LayersSyntaxError, parseLayersText } from '../../../shared/nn/layers-grammar.js';
import { SpecError } from '../../../shared/nn/errors.js';
import { OPTIMIZER_NAMES, parseModelSpec, type LayerSpecInput, type ModelSpec, type OptimizerName } from '../../../shared/nn/spec.js';
import type { RunConfigInput, TrainingChoice } from '../../../shared/runs/config.js';
import type { Metrics, RunProgress, RunRecord } from '../../../shared/runs/results.js';
import { createProjectFromRun } from '../../../shared/project/create.js';
import { isSample } from '../../projects/dataset.js';
import { saveProject } from '../../projects/files.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkOutputFile } from '../output-file.js';
import { DEFAULT_SPLIT_SEED } from '../../../shared/runs/config.js';
import { foldConfig, foldMetrics, summarizeFolds } from '../../../shared/runs/cross-validation.js';

export const train: Command = {
  name: 'train',
  summary: 'train a network on a dataset in a worker process and report its metrics',
  usage: [
    'Usage: nn-studio train <path|sample:NAME> [options]',
    '',
    'Trains one network (defaults chosen from the data where you choose nothing) and prints the',
    'validation and test metrics. Progress goes to stderr; with --json, one JSON object per line on stdout.',
    '',
    'Data:',
    '  --target COL            target column (default: the last one)',
    '  --task auto|classification|regression',
    '  --exclude COL           leave a column out (repeatable)',
    '  --normalize none|minmax|zscore   feature scaling (default zscore)',
    '  --split 0.7,0.15,0.15   train,validation,test fractions (data with its own test set, like IDX',
    '                          t10k: validation is a tenth of the training part, at most 5,000 rows)',
    `  --split-seed N          seed of the split alone (default ${DEFAULT_SPLIT_SEED}), so --seed keeps the test rows`,
    '  --folds K               k-fold cross-validation (stratified for classification): K runs, each',
    '                          judged on its own fold; prints mean ± sd per metric',
    '  --image-size N, --rgb   image folders and zips: resize to N×N (default 28), keep colour',
    '  --image-shape CxHxW     read a CSV of pixel columns as images, e.g. 1x28x28 (Kaggle MNIST)',
    'Model:',
    '  --layers "64:relu,32:relu"       hidden layers, comma-separated (default: a small CNN for images,',
    '                          else one ReLU layer sized from the inputs). Items:',
    '                            64  64:relu  dense:64:tanh     dense (activation default relu)',
    '                            conv:32x3[/2][:relu][:same]    32 filters 3×3 [stride 2] (default linear, valid)',
    '                            maxpool:2  maxpool:3/2  avgpool:2  globalavgpool  flatten',
    '                            dropout:0.25  batchnorm  act:relu',
    '                          a flatten is implied before the first dense layer after 2-D layers',
    `                          activations: ${ACTIVATION_NAMES.filter((a) => a !== 'step').join(', ')}`,
    '  --model FILE.json       a JSON model spec instead of --layers (checked; the data sizes input and output)',
    `  --loss NAME             ${LOSS_NAMES.join(', ')} (default from the task)`,
    '  --perceptron            a single perceptron trained by the perceptron rule',
    'Training:',
    `  --optimizer NAME        ${OPTIMIZER_NAMES.join(', ')} (default adam)`,
    '  --lr N                  learning rate',
    '  --batch N|full          rows per step: 1 = stochastic, full = full batch (default from the data)',
    '  --epochs N              epochs (default from the data)',
    '  --l1 N, --l2 N          weight penalties λ',
    '  --dropout N             dropout on hidden layers (0–0.95)',
    '  --patience N            early stopping patience in epochs (0 = off); every run with validation',
    '                          ends on the weights of its best validation epoch (accuracy or R²)',
    '  --refit                 then train again on train + validation for the best epoch count',
    '  --augment shift=N,flip  image data: shift training images up to N pixels, mirror half of them',
    '  --seed N                seed of weights, shuffles and dropout (default 1)',
    'Output:',
    '  --out FILE.nnstudio     save the trained run as a project',
    '  --json                  one JSON object per line: epochs, then {"type":"done",…}',
  ].join('\n'),
  options: {
    target: { type: 'string' },
    task: { type: 'string' },
    exclude: { type: 'string', multiple: true },
    normalize: { type: 'string' },
    split: { type: 'string' },
    'split-seed': { type: 'string' },
    folds: { type: 'string' },
    refit: { type: 'boolean' },
    'image-size': { type: 'string' },
    rgb: { type: 'boolean' },
    'image-shape': { type: 'string' },
    layers: { type: 'string' },
    model: { type: 'string' },
    loss: { type: 'string' },
    perceptron: { type: 'boolean' },
    optimizer: { type: 'string' },
    lr: { type: 'string' },
    batch: { type: 'string' },
    epochs: { type: 'string' },
    l1: { type: 'string' },
    l2: { type: 'string' },
    dropout: { type: 'string' },
    patience: { type: 'string' },
    augment: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ positionals, values, out, err }) {
    if (positionals.length !== 1) throw new UsageError("expected one dataset path or sample:NAME (see 'nn-studio samples')");
    // Before training: a run that cannot be saved at the end would be lost.
    if (values.out !== undefined) await checkOutputFile(String(values.out), '--out', 'model.nnstudio');
    const config = runConfigFromFlags(positionals[0], values);
    const folds = values.folds !== undefined ? wholeNumber('--folds', values.folds, 2) : null;
    if (folds !== null && folds > 20) throw new UsageError(`--folds expects a whole number from 2 to 20, got '${String(values.folds)}'`);
    if (folds !== null && values.out !== undefined) throw new UsageError('--out saves one run; --folds trains one per fold (leave out one of them)');
    // The CLI's paths are the person's own command line: no grants to check.
    const backend = createBackend({ mode: 'web', forkWorker: forkNodeWorker, maxConcurrentRuns: 1, grants: Grants.unrestricted() });
    const json = Boolean(values.json);
    const bar = !json && process.stderr.isTTY ? progressBar() : null;
    backend.onEvent((channel, payload) => {
      if (channel !== 'run:progress') return;
      const p = payload as RunProgress;
      if (json && p.kind === 'epoch') out(JSON.stringify({ type: 'epoch', ...p.point, epochs: p.epochs, samples_per_s: p.samplesPerSec, eta_s: p.etaSeconds }));
      else if (bar) bar.update(p);
      // Without a terminal (a log file), about ten lines per run.
      else if (!json && p.kind === 'epoch' && (p.epoch === 1 || p.epoch % Math.max(1, Math.round(p.epochs / 10)) === 0)) err(describeEpoch(p));
    });
    const finish = async (runConfig: RunConfigInput): Promise<RunRecord> => {
      const started = backend.runs.start(runConfig);
      const record = await backend.runs.whenDone(started.id);
      bar?.clear();
      if (record.state === 'failed') {
        const { name, message } = record.error!;
        // Bad data or settings are the person's to fix (exit 2); anything else failed the run (exit 1).
        throw new UsageError(message.split('\n')[0], name === 'DatasetError' || name === 'SpecError' || name === 'InvalidConfig' ? 2 : 1);
      }
      return record;
    };
    try {
      if (folds !== null) {
        await crossValidate(config, folds, finish, json, out);
        return 0;
      }
      const record = await finish(config);
      const project = typeof values.out === 'string' ? await saveRunAsProject(record, values.out) : null;
      if (json) out(JSON.stringify({ type: 'done', ...doneFacts(record), metrics: cliMetrics(record), project }));
      else printResult(record, project, out);
      return 0;
    } finally {
      await backend.dispose();
    }
  },
};

/** The run settings the flags spell; a malformed flag is a UsageError naming it. */
export function runConfigFromFlags(source: string, values: Record<string, unknown>): RunConfigInput {
  const { task, ...rest } = values;
  const options = datasetOptionsFromFlags(task === 'auto' ? rest : values);
  if (values.normalize !== undefined) {
    if (values.normalize !== 'none' && values.normalize !== 'minmax' && values.normalize !== 'zscore') {
      throw new UsageError(`--normalize expects none, minmax or zscore, got '${String(values.normalize)}'`);
    }
    options.normalize = values.normalize;
  }
  if (values.split !== undefined) {
    const parts = String(values.split).split(',').map(Number);
    if (parts.length !== 3 || parts.some((p) => !(p >= 0 && p <= 1)) || Math.abs(parts[0] + parts[1] + parts[2] - 1) > 1e-6) {
      throw new UsageError(`--split expects three fractions adding up to 1, like 0.7,0.15,0.15; got '${String(values.split)}'`);
    }
    options.split = { train: parts[0], validation: parts[1], test: parts[2] };
  }
  const training: TrainingChoice = {};
  if (values.optimizer !== undefined) training.optimizer = oneOf('--optimizer', values.optimizer, OPTIMIZER_NAMES) as OptimizerName;
  if (values.lr !== undefined) training.learningRate = positive('--lr', values.lr);
  if (values.batch !== undefined) training.batchSize = values.batch === 'full' ? 'full' : wholeNumber('--batch', values.batch, 1);
  if (values.epochs !== undefined) training.epochs = wholeNumber('--epochs', values.epochs, 1);
  if (values.l1 !== undefined) training.l1 = nonNegative('--l1', values.l1);
  if (values.l2 !== undefined) training.l2 = nonNegative('--l2', values.l2);
  if (values.dropout !== undefined) {
    training.dropout = nonNegative('--dropout', values.dropout);
    if (training.dropout > 0.95) throw new UsageError(`--dropout expects a fraction from 0 to 0.95, got '${String(values.dropout)}'`);
  }
  if (values.patience !== undefined) training.patience = wholeNumber('--patience', values.patience, 0);
  if (values.augment !== undefined) training.augment = parseAugment(String(values.augment));
  if (values.refit) training.refit = true;
  if (values['split-seed'] !== undefined) options.seed = wholeNumber('--split-seed', values['split-seed'], 0);
  return {
    dataset: { source, options },
    model: modelChoiceFromFlags(values),
    training,
    seed: values.seed !== undefined ? wholeNumber('--seed', values.seed, 0) : 1,
  };
}

/** The network the flags spell: --model FILE, or --layers / --loss / --perceptron. */
function modelChoiceFromFlags(values: Record<string, unknown>): RunConfigInput['model'] {
  const kind = values.perceptron ? 'perceptron' : 'mlp';
  if (typeof values.model === 'string') {
    if (values.layers !== undefined) throw new UsageError('give either --model FILE or --layers, not both');
    const choice = modelChoiceFromFile(values.model, kind);
    return values.loss !== undefined ? { ...choice, loss: oneOf('--loss', values.loss, LOSS_NAMES) as LossName } : choice;
  }
  return {
    kind,
    hidden: values.layers !== undefined ? parseLayers(String(values.layers)) : undefined,
    loss: values.loss !== undefined ? (oneOf('--loss', values.loss, LOSS_NAMES) as LossName) : undefined,
  };
}

/** Saves a finished run as a new project; returns the project's absolute path. */
async function saveRunAsProject(record: RunRecord, out: string): Promise<string> {
  const path = resolve(out);
  const source = record.config.dataset.source;
  await saveProject(path, createProjectFromRun(record, isSample(source) ? source : resolve(source)));
  return path;
}

/**
 * `--layers` text → hidden layers, by the grammar of shared/nn/layers-grammar.ts ("64:relu,32:tanh",
 * "conv:32x3:relu,maxpool:2,dense:128:relu"); a bad item is a UsageError naming it.
 */
export function parseLayers(text: string): LayerSpecInput[] {
  try {
    return parseLayersText(text);
  } catch (e) {
    if (e instanceof LayersSyntaxError) throw new UsageError(e.message);
    throw e;
  }
}

/** `--model FILE`: a JSON model spec, checked by parseModelSpec; the data still sizes its input and output layer. */
function modelChoiceFromFile(file: string, kind: 'mlp' | 'perceptron'): RunConfigInput['model'] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--model ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--model ${file}: expected a JSON model spec, found invalid JSON (${(e as Error).message})`);
  }
  let spec: ModelSpec;
  try {
    spec = parseModelSpec(json);
  } catch (e) {
    if (e instanceof SpecError) throw new UsageError(`--model ${file}: ${e.message}`);
    throw e;
  }
  const output = spec.layers[spec.layers.length - 1];
  if (output.type !== 'dense') {
    throw new UsageError(`--model ${file}: expected a dense output layer last (the data sizes it), found ${output.type}`);
  }
  return { kind: spec.kind ?? kind, hidden: spec.layers.slice(0, -1), outputActivation: output.activation, loss: spec.loss };
}

/** "shift=2,flip" → augmentation options; "none" turns it off. */
export function parseAugment(text: string): { shift?: number; flip?: boolean } {
  const options: { shift?: number; flip?: boolean } = {};
  if (text.trim() === 'none') return options;
  for (const part of text.split(',').map((p) => p.trim())) {
    const shift = /^shift=(\d+)$/.exec(part);
    if (shift && Number(shift[1]) <= 16) options.shift = Number(shift[1]);
    else if (part === 'flip') options.flip = true;
    else throw new UsageError(`--augment expects shift=N (0–16 pixels) and/or flip, like shift=2,flip; '${part}' is neither`);
  }
  return options;
}

function oneOf(flag: string, value: unknown, allowed: readonly string[]): string {
  if (typeof value !== 'string' || !allowed.includes(value)) throw new UsageError(`${flag} expects one of ${allowed.join(', ')}; got '${String(value)}'`);
  return value;
}

function positive(flag: string, value: unknown): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${flag} expects a positive number, got '${String(value)}'`);
  return n;
}

function nonNegative(flag: string, value: unknown): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n)) throw new UsageError(`${flag} expects a number ≥ 0, got '${String(value)}'`);
  return n;
}

function wholeNumber(flag: string, value: unknown, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} expects a whole number ≥ ${min}, got '${String(value)}'`);
  return n;
}

/** Metrics as the CLI's JSON reports them (snake_case, the confusion matrix and labels included). */
export function cliMetrics(record: RunRecord): Record<'train' | 'validation' | 'test', Record<string, unknown> | null> {
  const evaluation = record.outcome!.evaluation;
  const one = (e: { loss: number; metrics: Metrics } | null) => (e ? { loss: e.loss, ...flatMetrics(e.metrics) } : null);
  return { train: one(evaluation.train), validation: one(evaluation.validation), test: one(evaluation.test) };
}

export function flatMetrics(m: Metrics): Record<string, unknown> {
  if (m.kind === 'regression') return { rows: m.rows, mse: m.mse, rmse: m.rmse, mae: m.mae, r2: m.r2 };
  return {
    rows: m.rows,
    accuracy: m.accuracy,
    macro_precision: m.macro.precision,
    macro_recall: m.macro.recall,
    macro_f1: m.macro.f1,
    weighted_f1: m.weighted.f1,
    per_class: m.perClass,
    confusion_matrix: m.confusion,
    labels: m.labels,
  };
}

function describeEpoch(p: RunProgress): string {
  const point = p.point!;
  const val = point.valLoss !== null ? `  val loss ${point.valLoss.toFixed(4)}` : '';
  const metric = point.valMetric !== null ? `  val ${point.accuracy !== null ? 'accuracy' : 'R²'} ${point.valMetric.toFixed(4)}` : '';
  return `epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(4)}${val}${metric}`;
}

/** What the JSON 'done' line says of how the run ended: which epoch's weights it kept, and the refit. */
function doneFacts(record: RunRecord) {
  const o = record.outcome!;
  return {
    runId: record.id, reason: o.reason, epochs: o.epochs, best_epoch: o.bestEpoch, kept_best: o.restoredBest,
    rows: record.data?.rows, split_seed: record.config.dataset.options.seed, refit: o.refit ?? null,
  };
}

/** --folds K: one run per fold, each line its test metrics, then mean ± sd per metric. */
async function crossValidate(config: RunConfigInput, folds: number, finish: (c: RunConfigInput) => Promise<RunRecord>, json: boolean, out: (line: string) => void): Promise<void> {
  const tests = [];
  for (let i = 0; i < folds; i++) {
    const record = await finish(foldConfig(config, folds, i));
    const test = record.outcome!.evaluation.test;
    if (!test) throw new UsageError(`fold ${i + 1} of ${folds} has no test rows: use fewer folds`);
    tests.push(test);
    if (json) out(JSON.stringify({ type: 'fold', fold: i + 1, folds, ...doneFacts(record), metrics: cliMetrics(record) }));
    else out(`fold ${i + 1}/${folds}: ${Object.entries(foldMetrics(test.metrics)).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')} (${test.metrics.rows} test rows, best epoch ${record.outcome!.bestEpoch})`);
  }
  const summary = summarizeFolds(tests);
  if (json) out(JSON.stringify({ type: 'cv', folds, metrics: Object.fromEntries(summary.map((m) => [m.metric, { mean: m.mean, sd: m.sd, values: m.values }])) }));
  else out(`${folds}-fold cross-validation: ${summary.map((m) => `${m.metric} ${m.mean.toFixed(4)} ± ${m.sd.toFixed(4)}`).join(', ')}`);
}

function printResult(record: RunRecord, project: string | null, out: (line: string) => void): void {
  const o = record.outcome!;
  const validated = o.bestEpoch > 0 && (record.data?.rows.validation ?? 0) > 0;
  const kept = !validated ? '' : o.restoredBest ? `, kept best validation epoch ${o.bestEpoch}`
    : o.bestEpoch === o.epochs ? `, best validation epoch ${o.bestEpoch} (the last)` : `, best validation epoch ${o.bestEpoch}; kept the last epoch's weights`;
  out(`Finished after ${o.epochs} epochs (${o.reason}${kept}) in ${o.seconds.toFixed(1)} s.`);
  if (record.data) out(`rows: ${record.data.rows.train} train, ${record.data.rows.validation} validation, ${record.data.rows.test} test (split seed ${record.config.dataset.options.seed ?? record.config.seed})`);
  for (const note of record.data?.notes ?? []) out(`note: ${note}`);
  if (o.refit) out(`refit: trained again on ${o.refit.rows} train + validation rows for ${o.refit.epochs} epochs; train and test metrics are the refit model's`);
  for (const [name, e] of [['train', o.evaluation.train], ['validation', o.evaluation.validation], ['test', o.evaluation.test]] as const) {
    if (!e) continue;
    const m = e.metrics;
    out(m.kind === 'classification'
      ? `${name}: accuracy ${m.accuracy.toFixed(4)}, macro F1 ${m.macro.f1.toFixed(4)} (${m.rows} rows)`
      : `${name}: MSE ${m.mse.toPrecision(4)}, RMSE ${m.rmse.toPrecision(4)}, MAE ${m.mae.toPrecision(4)}, R² ${m.r2.toFixed(4)} (${m.rows} rows)`);
  }
  if (project) out(`Saved the project to ${project}`);
}

/** A one-line progress bar on a terminal: epoch x/y, loss, samples/s and ETA. */
function progressBar() {
  let last = 0;
  return {
    update(p: RunProgress) {
      const now = Date.now();
      if (now - last < 100 && p.kind === 'batch') return;
      last = now;
      const total = p.epochs * p.batchesPerEpoch;
      const done = Math.min(1, ((p.epoch - 1) * p.batchesPerEpoch + p.batch) / Math.max(1, total));
      const width = 24;
      const filled = Math.round(done * width);
      const eta = p.etaSeconds !== null ? `  ETA ${Math.ceil(p.etaSeconds)} s` : '';
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(4)}  ${Math.round(p.samplesPerSec)} samples/s${eta}   `);
    },
    clear() {
      process.stderr.write('\r' + ' '.repeat(100) + '\r');
    },
  };
}
