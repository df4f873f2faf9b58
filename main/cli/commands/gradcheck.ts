/** `nn-studio gradcheck`: backpropagation against numerical differentiation on a random network. */
import { UsageError, type Command } from '../command.js';
import { parseLayers } from './train.js';
import { ACTIVATION_NAMES, type ActivationName } from '../../../shared/nn/activations.js';
import { SpecError } from '../../../shared/nn/errors.js';
import { gradientCheck, type GradCheckResult } from '../../../shared/nn/gradcheck.js';
import { LOSS_NAMES, type LossName } from '../../../shared/nn/losses.js';
import { Model } from '../../../shared/nn/model.js';
import { Random } from '../../../shared/nn/random.js';

const THRESHOLD = 1e-5;

export const gradcheck: Command = {
  name: 'gradcheck',
  summary: 'check backpropagation against numerical gradients (float64) on a random network',
  usage: [
    'Usage: nn-studio gradcheck --layers "8:tanh,4:sigmoid" --inputs 3 --outputs 2 [options]',
    '',
    'Builds a random network (hidden layers from --layers, then an output layer), feeds it random data,',
    'and compares every backpropagated gradient with the central difference (L(w+h) − L(w−h)) / 2h,',
    `h = 1e-4 by default, in float64. Prints the max relative error per weight tensor; exits 1 if any is above ${THRESHOLD}.`,
    '',
    '  --layers "8:tanh,4:sigmoid"   hidden layers as units:activation (may be empty: "")',
    '  --inputs N                    input features (default 3)',
    '  --outputs N                   output units (default 2)',
    `  --loss NAME                   ${LOSS_NAMES.join(', ')} (default mse)`,
    '  --output-activation NAME      default: softmax for categorical-crossentropy, sigmoid for',
    '                                binary-crossentropy, identity otherwise',
    '  --rows N                      rows of random data (default 4)',
    '  --l1 N, --l2 N                weight penalties λ, checked too (default 0)',
    '  --seed N                      seed of the weights and the data (default 1)',
    '  --h N                         step of the central difference (default 1e-4)',
    '  --json                        one JSON object instead of the table',
  ].join('\n'),
  options: {
    layers: { type: 'string' },
    inputs: { type: 'string' },
    outputs: { type: 'string' },
    loss: { type: 'string' },
    'output-activation': { type: 'string' },
    rows: { type: 'string' },
    l1: { type: 'string' },
    l2: { type: 'string' },
    seed: { type: 'string' },
    h: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, out }) {
    const inputs = numberFlag('--inputs', values.inputs, 3, { integer: true, min: 1 });
    const outputs = numberFlag('--outputs', values.outputs, 2, { integer: true, min: 1 });
    const rows = numberFlag('--rows', values.rows, 4, { integer: true, min: 1 });
    const seed = numberFlag('--seed', values.seed, 1, { integer: true, min: 0 });
    const l1 = numberFlag('--l1', values.l1, 0, { min: 0 });
    const l2 = numberFlag('--l2', values.l2, 0, { min: 0 });
    const h = numberFlag('--h', values.h, 1e-4, { min: Number.MIN_VALUE });
    const loss = String(values.loss ?? 'mse');
    if (!(LOSS_NAMES as readonly string[]).includes(loss)) throw new UsageError(`--loss expects one of ${LOSS_NAMES.join(', ')}; got '${loss}'`);
    const outputActivation = String(values['output-activation'] ?? defaultOutputActivation(loss as LossName));
    if (!(ACTIVATION_NAMES as readonly string[]).includes(outputActivation)) {
      throw new UsageError(`--output-activation expects one of ${ACTIVATION_NAMES.join(', ')}; got '${outputActivation}'`);
    }
    const hidden = parseLayers(String(values.layers ?? '8:tanh,4:sigmoid'));
    let model: Model;
    try {
      model = Model.create({
        inputs,
        layers: [...hidden, { units: outputs, activation: outputActivation as ActivationName }],
        loss,
        task: 'regression',
      }, { seed });
    } catch (e) {
      if (e instanceof SpecError) throw new UsageError(e.message);
      throw e;
    }
    const { x, t } = randomData(model, loss as LossName, rows, seed);
    const result = gradientCheck(model, x, t, rows, { l1, l2, h, threshold: THRESHOLD });
    if (values.json) out(JSON.stringify({ network: describeNetwork(model), lossFunction: loss, rows, l1, l2, ...result }));
    else printTable(result, model, loss, rows, out);
    return result.ok ? 0 : 1;
  },
};

function defaultOutputActivation(loss: LossName): ActivationName {
  if (loss === 'categorical-crossentropy') return 'softmax';
  if (loss === 'binary-crossentropy') return 'sigmoid';
  return 'identity';
}

/** Inputs U(−1, 1); targets one-hot (categorical CE), 0/1 (binary CE) or N(0, 1). */
function randomData(model: Model, loss: LossName, rows: number, seed: number): { x: Float64Array; t: Float64Array } {
  const rng = new Random(seed + 1);
  const x = Float64Array.from({ length: rows * model.inputs }, () => rng.range(-1, 1));
  const K = model.outputs;
  const t = new Float64Array(rows * K);
  for (let r = 0; r < rows; r++) {
    if (loss === 'categorical-crossentropy') t[r * K + rng.int(K)] = 1;
    else for (let j = 0; j < K; j++) t[r * K + j] = loss === 'binary-crossentropy' ? rng.int(2) : rng.normal();
  }
  return { x, t };
}

/** "3-8(tanh)-4(sigmoid)-2(identity)" */
function describeNetwork(model: Model): string {
  return [String(model.inputs), ...model.layers.map((l) => `${l.units}(${l.activation.name})`)].join('-');
}

function printTable(result: GradCheckResult, model: Model, loss: string, rows: number, out: (line: string) => void): void {
  out(`Gradient check of ${describeNetwork(model)}, loss ${loss}, ${rows} random rows (float64, central differences, h = ${result.h.toExponential()})`);
  for (const c of result.tensors) {
    const name = `layer ${c.layer + 1} ${c.tensor} [${c.shape.join('×')}]`;
    const skipped = c.skipped ? `  (${c.skipped} entries skipped: ±h crosses a kink)` : '';
    const verdict = c.maxRelError <= result.threshold ? 'ok' : 'TOO LARGE';
    out(`  ${name.padEnd(24)} max relative error ${c.maxRelError.toExponential(2)}  ${verdict}${skipped}`);
  }
  out(result.ok
    ? `passed: max relative error ${result.maxRelError.toExponential(2)} ≤ ${result.threshold.toExponential()}`
    : `FAILED: max relative error ${result.maxRelError.toExponential(2)} > ${result.threshold.toExponential()}`);
}

function numberFlag(flag: string, value: unknown, fallback: number, { integer = false, min = -Infinity } = {}): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
    throw new UsageError(`${flag} expects ${integer ? 'a whole number' : 'a number'} ≥ ${min}, got '${String(value)}'`);
  }
  return n;
}
