/**
 * Standalone JavaScript: one ES module with no dependencies and the weights inline (base64), whose
 * `predict(rows)` reads raw rows exactly as the studio does (shared/data/values.ts, table.ts and
 * preprocess.ts: numbers, the missing-value spellings, text labels, the fitted fill/offset/scale and
 * one-hot encoding) and runs the network in float64 over the float32 weights.
 *
 * The reading rules are repeated here because the module must stand alone; test/export checks the
 * module against `applyPreprocessing` + `Model.predict` on awkward rows, so the two cannot drift.
 */
import { describeInputs, type ExportModel } from './source.js';
import { float32ToBase64 } from '../ipc/binary.js';
import { pixelOrder } from '../data/preprocess.js';
import { ELU_ALPHA, LEAKY_SLOPE, SELU_ALPHA, SELU_LAMBDA } from '../nn/activations.js';
import type { NetLayer } from './net.js';
import { replaceOnce } from './text.js';

/** The module's source text. */
export function toJsModule(m: ExportModel, producerVersion = '0'): string {
  const state = m.preprocessing;
  const layers = m.net ? m.net.map(netLayerJson) : m.layers.map((l) => ({ inputs: l.inputs, units: l.units, activation: l.activation, W: float32ToBase64(l.W), b: l.b ? float32ToBase64(l.b) : null }));
  const example = state.kind === 'table'
    ? `predict([{ ${state.columns.slice(0, 3).map((c) => `${JSON.stringify(c)}: …`).join(', ')}${state.columns.length > 3 ? ', …' : ''} }])`
    : `predict([pixels])  // ${state.inputSize} values 0–255 per image`;
  return `// ${oneLine(m.name)}: a neural network exported by NN Studio ${producerVersion}. No dependencies.
//
// Takes ${describeInputs(m)}.
// Gives ${m.task === 'regression' ? `the predicted ${oneLine(m.outputName)}` : 'the most likely class and the probability of each class (in CLASSES order)'}.
//
//   import { predict } from './model.mjs';
//   ${example}
//   → [{ prediction: ${m.task === 'regression' ? '12.3' : "'class'"}, outputs: [ … ] }]
//
${state.kind === 'table'
    ? `// Rows are objects keyed by column name, or arrays in COLUMNS order. Cells may be numbers or text as
// in the training file ('5.1', 'red'); '', NA, N/A, NaN, null, ? and absent keys are missing values,
// filled as in training. A category never seen in training gets no one-hot input.`
    : m.net ? `// Each image: an array of CHANNELS × HEIGHT × WIDTH pixel values (0–255), channel by channel, then row by row.`
      : `// Each image: an array of WIDTH × HEIGHT × CHANNELS pixel values (0–255), ${pixelOrder(state)}.`}

export const TASK = ${JSON.stringify(m.task)};
export const CLASSES = ${JSON.stringify(m.classes)};
export const TARGET = ${JSON.stringify(state.target.column)};
export const COLUMNS = ${JSON.stringify(state.kind === 'table' ? state.columns : [])};
export const FEATURE_NAMES = ${JSON.stringify(state.kind === 'table' ? state.featureNames : [])};
export const IMAGE = ${JSON.stringify(state.kind === 'image' ? { width: state.width, height: state.height, channels: state.channels } : null)};
const PREPROCESSING = ${JSON.stringify(state)};
const SINGLE_UNIT_BINARY = ${m.singleUnitBinary};
/** Two classes: the second is predicted when its probability is ≥ THRESHOLD (null: the more probable class). */
export const THRESHOLD = ${JSON.stringify(m.threshold)};
const LAYERS = ${JSON.stringify(layers)};

${m.net ? NET_RUNTIME : RUNTIME}`;
}

/** A convolutional network's layer as the module's LAYERS entry: its sizes, and its tensors as base64 float32. */
function netLayerJson(layer: NetLayer): Record<string, unknown> {
  const base64 = (v: unknown) => (v instanceof Float32Array ? float32ToBase64(v) : v);
  return Object.fromEntries(Object.entries(layer).map(([k, v]) => [k, base64(v)]));
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** The module's code after its data: reading rows, the network, predict. */
const RUNTIME = String.raw`// ---------------------------------------------------------------------------------------------
// Weights: base64 of little-endian float32.

function floats(text) {
  if (text === null) return null;
  const binary = atob(text);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const out = new Float32Array(binary.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

const NETWORK = LAYERS.map((l) => ({ ...l, W: floats(l.W), b: floats(l.b) }));

// ---------------------------------------------------------------------------------------------
// Reading a cell as the training file was read.

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', '?']);

function isMissingToken(text) {
  return text.trim().length <= 4 && MISSING.has(text.trim().toLowerCase());
}

/** The number a text spells in decimal notation, else NaN (no hex, no Infinity, no blank). */
function parseNumber(text) {
  if (text.length === 0) return NaN;
  const first = text.charCodeAt(0);
  if (!(first >= 48 && first <= 57) && first !== 45 && first !== 43 && first !== 46 && first !== 32 && first !== 9) return NaN;
  const trimmed = text.trim();
  if (trimmed.length === 0) return NaN;
  const value = Number(text);
  if (!Number.isFinite(value)) return NaN;
  const radix = trimmed.length >= 3 && trimmed.charCodeAt(0) === 48 && 'xbo'.includes(trimmed[1].toLowerCase());
  return radix ? NaN : value;
}

/** The shortest decimal spelling that reads back as the same float32 (how numbers became category labels). */
function formatFloat32(value) {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 24) return String(value);
  const target = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = Number(value.toPrecision(digits));
    if (Math.fround(text) === target) return String(text);
  }
  return String(value);
}

/** A number (stored as float32, as the studio stores table cells), a text label, or null for missing. */
function readCell(cell, row, column) {
  if (typeof cell === 'string') {
    const v = parseNumber(cell);
    if (v === v) return Math.fround(v);
    return isMissingToken(cell) ? null : cell.trim();
  }
  if (typeof cell === 'number') return Number.isFinite(cell) ? Math.fround(cell) : null;
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'boolean') return String(cell);
  throw new Error('row ' + row + ", column '" + column + "': expected a number, a text or null, found " + JSON.stringify(cell));
}

// ---------------------------------------------------------------------------------------------
// Preprocessing: raw rows → the network's inputs.

const CATEGORY_INDEX = PREPROCESSING.kind === 'table'
  ? PREPROCESSING.features.map((f) => new Map(f.kind === 'categorical' ? f.categories.map((c, i) => [c, i]) : []))
  : [];

/** The network's input rows (float32, row-major) for raw rows or images. */
export function encode(rows) {
  const state = PREPROCESSING;
  const width = state.inputSize;
  const x = new Float32Array(rows.length * width);
  if (state.kind === 'image') {
    rows.forEach((pixels, r) => {
      if (!pixels || pixels.length !== width) throw new Error('image ' + (r + 1) + ': expected ' + width + ' pixel values, found ' + (pixels ? pixels.length : 'none'));
      for (let p = 0; p < width; p++) x[r * width + p] = (pixels[p] / 255 - state.offset) * state.scale;
    });
    return x;
  }
  rows.forEach((row, r) => {
    const cells = Array.isArray(row) ? row : state.columns.map((c) => row[c] ?? null);
    let at = r * width;
    state.features.forEach((f, j) => {
      const cell = readCell(cells[state.columns.indexOf(f.column)], r + 1, f.column);
      if (f.kind === 'numeric') {
        if (typeof cell === 'string') throw new Error('row ' + (r + 1) + ", column '" + f.column + "': expected a number, found '" + cell + "'");
        x[at++] = ((cell ?? f.fill) - f.offset) * f.scale;
      } else {
        const label = typeof cell === 'number' ? formatFloat32(cell) : (cell ?? f.fill);
        const k = CATEGORY_INDEX[j].get(label);
        if (k !== undefined) x[at + k] = 1;
        at += f.categories.length;
      }
    });
  });
  return x;
}

// ---------------------------------------------------------------------------------------------
// The network: z = x·W + b, a = f(z), layer by layer.

function sigmoid(v) {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

const ACTIVATIONS = {
  identity: (v) => v,
  sigmoid,
  tanh: Math.tanh,
  relu: (v) => (v > 0 ? v : 0),
  'leaky-relu': (v) => (v > 0 ? v : ${LEAKY_SLOPE} * v),
  elu: (v) => (v > 0 ? v : ${ELU_ALPHA} * Math.expm1(v)),
  selu: (v) => ${SELU_LAMBDA} * (v > 0 ? v : ${SELU_ALPHA} * Math.expm1(v)),
  softplus: (v) => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v))),
  step: (v) => (v > 0 ? 1 : 0),
};

function softmaxRows(a, rows, cols) {
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, a[r * cols + j]);
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += (a[r * cols + j] = Math.exp(a[r * cols + j] - max));
    for (let j = 0; j < cols; j++) a[r * cols + j] /= sum;
  }
}

function forward(x, rows) {
  let input = x;
  for (const layer of NETWORK) {
    const { inputs, units, W, b } = layer;
    const out = new Float64Array(rows * units);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < units; j++) {
        let z = b ? b[j] : 0;
        for (let i = 0; i < inputs; i++) z += input[r * inputs + i] * W[i * units + j];
        out[r * units + j] = z;
      }
    }
    if (layer.activation === 'softmax') softmaxRows(out, rows, units);
    else {
      const f = ACTIVATIONS[layer.activation];
      for (let k = 0; k < out.length; k++) out[k] = f(out[k]);
    }
    input = out;
  }
  return input;
}

/** The outputs per row: class probabilities (a single sigmoid unit widened to [1 − p, p]) or the values. */
export function predictOutputs(rows) {
  const out = forward(encode(rows), rows.length);
  const units = NETWORK[NETWORK.length - 1].units;
  return rows.map((_, r) => {
    const o = Array.from(out.subarray(r * units, (r + 1) * units));
    return SINGLE_UNIT_BINARY ? [1 - o[0], o[0]] : o;
  });
}

/** Per row: { prediction: the class name (or the value), outputs: the probabilities (or values) }. */
export function predict(rows) {
  return predictOutputs(rows).map((outputs) => {
    if (TASK === 'regression') return { prediction: outputs[0], outputs };
    return { prediction: className(outputs), outputs };
  });
}

/** The predicted class of one row's probabilities: by THRESHOLD for two classes when it is set, else the most probable. */
function className(outputs) {
  let best = 0;
  if (THRESHOLD !== null && outputs.length === 2) best = outputs[1] >= THRESHOLD ? 1 : 0;
  else for (let k = 1; k < outputs.length; k++) if (outputs[k] > outputs[best]) best = k;
  return CLASSES ? CLASSES[best] : String(best);
}
`;

/** The runtime's part that reads raw rows into the network's inputs (cells, then preprocessing). */
export const ROW_READER = RUNTIME.slice(RUNTIME.indexOf('// ---------------------------------------------------------------------------------------------\n// Reading a cell'),
  RUNTIME.indexOf('// ---------------------------------------------------------------------------------------------\n// The network'));
/** The runtime's className (the decision rule for class probabilities). */
export const CLASS_NAME = RUNTIME.slice(RUNTIME.indexOf('/** The predicted class of one row'));

const DENSE_NETWORK = String.raw`const NETWORK = LAYERS.map((l) => ({ ...l, W: floats(l.W), b: floats(l.b) }));
`;

const DENSE_FORWARD = RUNTIME.slice(RUNTIME.indexOf('function forward(x, rows) {'), RUNTIME.indexOf('/** Per row: { prediction'));

/**
 * A convolutional network's runtime: the dense one with its network and forward pass replaced by
 * plain loops over one image at a time ([C, H, W] channel-major, as the studio reads images).
 */
const NET_RUNTIME = replaceOnce(replaceOnce(RUNTIME, DENSE_NETWORK, String.raw`const TENSORS = new Set(['W', 'b', 'gamma', 'beta', 'mean', 'variance']);
const NETWORK = LAYERS.map((l) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, TENSORS.has(k) ? floats(v) : v])));
`, 'js-module.ts'), DENSE_FORWARD, String.raw`function activate(a, name) {
  if (name === 'softmax') softmaxRows(a, 1, a.length);
  else for (let k = 0; k < a.length; k++) a[k] = ACTIVATIONS[name](a[k]);
  return a;
}

/** One layer on one sample a (an image [C, H, W] or a vector). */
function layerForward(l, a) {
  switch (l.type) {
    case 'conv2d': {
      // z[o, y, x] = b[o] + Σ over c, i, j of W[o, c, i, j] · a[c, y·s + i − top, x·s + j − left] (zero outside)
      const [C, H, Wd] = l.input, [OC, OH, OW] = l.output, k = l.kernel, s = l.stride;
      const out = new Float64Array(OC * OH * OW);
      for (let o = 0; o < OC; o++) {
        for (let oy = 0; oy < OH; oy++) {
          for (let ox = 0; ox < OW; ox++) {
            let z = l.b ? l.b[o] : 0;
            for (let c = 0; c < C; c++) {
              for (let i = 0; i < k; i++) {
                const y = oy * s + i - l.padTop;
                if (y < 0 || y >= H) continue;
                for (let j = 0; j < k; j++) {
                  const x = ox * s + j - l.padLeft;
                  if (x >= 0 && x < Wd) z += l.W[((o * C + c) * k + i) * k + j] * a[(c * H + y) * Wd + x];
                }
              }
            }
            out[(o * OH + oy) * OW + ox] = z;
          }
        }
      }
      return activate(out, l.activation);
    }
    case 'maxpool2d':
    case 'avgpool2d': {
      const [C, H, Wd] = l.input, [, OH, OW] = l.output, n = l.size, s = l.stride;
      const out = new Float64Array(C * OH * OW);
      for (let c = 0; c < C; c++) {
        for (let oy = 0; oy < OH; oy++) {
          for (let ox = 0; ox < OW; ox++) {
            let best = -Infinity, sum = 0;
            for (let i = 0; i < n; i++) {
              for (let j = 0; j < n; j++) {
                const v = a[(c * H + oy * s + i) * Wd + ox * s + j];
                if (v > best) best = v;
                sum += v;
              }
            }
            out[(c * OH + oy) * OW + ox] = l.type === 'maxpool2d' ? best : sum / (n * n);
          }
        }
      }
      return out;
    }
    case 'globalavgpool': {
      const [C, H, Wd] = l.input, HW = H * Wd;
      const out = new Float64Array(C);
      for (let c = 0; c < C; c++) {
        let sum = 0;
        for (let p = 0; p < HW; p++) sum += a[c * HW + p];
        out[c] = sum / HW;
      }
      return out;
    }
    case 'flatten':
      return a; // already C, H, W order
    case 'batchnorm': {
      // y = γ·(x − running mean)/√(running var + ε) + β, per channel (or per feature)
      const per = a.length / l.channels;
      const out = new Float64Array(a.length);
      for (let c = 0; c < l.channels; c++) {
        const scale = l.gamma[c] / Math.sqrt(l.variance[c] + l.eps);
        for (let p = c * per; p < (c + 1) * per; p++) out[p] = (a[p] - l.mean[c]) * scale + l.beta[c];
      }
      return out;
    }
    case 'activation':
      return activate(Float64Array.from(a), l.activation);
    default: {
      const { inputs, units, W, b } = l;
      const out = new Float64Array(units);
      for (let j = 0; j < units; j++) {
        let z = b ? b[j] : 0;
        for (let i = 0; i < inputs; i++) z += a[i] * W[i * units + j];
        out[j] = z;
      }
      return activate(out, l.activation);
    }
  }
}

function forward(x, rows) {
  const width = x.length / rows;
  const outs = [];
  for (let r = 0; r < rows; r++) {
    let a = Float64Array.from(x.subarray(r * width, (r + 1) * width));
    for (const l of NETWORK) a = layerForward(l, a);
    outs.push(a);
  }
  const out = new Float64Array(rows * outs[0].length);
  outs.forEach((a, r) => out.set(a, r * a.length));
  return out;
}

/** The outputs per row: class probabilities (a single sigmoid unit widened to [1 − p, p]) or the values. */
export function predictOutputs(rows) {
  const out = forward(encode(rows), rows.length);
  const units = out.length / rows.length;
  return rows.map((_, r) => {
    const o = Array.from(out.subarray(r * units, (r + 1) * units));
    return SINGLE_UNIT_BINARY ? [1 - o[0], o[0]] : o;
  });
}

`, 'js-module.ts');
