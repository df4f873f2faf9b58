/**
 * ONNX export: the network as a graph of standard operators, with the fitted preprocessing baked
 * in so the model takes RAW data, written as protobuf bytes by hand (field numbers from onnx.proto).
 *
 * Inputs (N rows; shapes [N, …]):
 *   features    float32 [N, F]  the numeric columns, in the training file's column order; NaN = missing
 *   categories  string  [N, C]  the categorical columns (only when there are some), raw text read as
 *                               predict reads it: trimmed, '', NA, N/A, NaN, null, ? (any case) missing
 *   pixels      float32 [N, P]  image models instead: pixel values 0–255 in the model's order (pixelOrder)
 *   pixels      float32 [N, C, H, W]  convolutional networks: pixel values 0–255, channel-major
 * Output:
 *   probabilities float32 [N, K]  class probabilities in class order (one sigmoid unit → [1 − p, p]), or
 *   values        float32 [N, T]  the regression values;
 *   label         int64   [N, 1]  two classes with a decision threshold: 1 where p(second) ≥ it, else 0
 *
 * Graph: numeric  Where(IsNaN(x), fill, x) → Sub(offset) → Mul(scale)
 *        categorical, per column and category  RegexFullMatch(spaces, category, spaces), or for a
 *          category that is a number Cast(float) = value; Or the missing spellings when it is the
 *          fill → Cast(float)  (one-hot)
 *        images  Div(255) → Sub(offset) → Mul(scale)
 *        then per dense layer  Gemm (MatMul without bias) + the activation's operator;
 *        convolutional networks per layer  Conv (explicit pads: same = SAME_UPPER), MaxPool,
 *        AveragePool, GlobalAveragePool + Flatten, BatchNormalization (running statistics),
 *        Flatten (C, H, W order, as the engine reads it), Gemm; dropout is left out.
 * The first layer's weight rows are reordered to take [numeric block, one-hot blocks] as they come.
 * Opset 13 (IR 7); opset 20 (IR 9) when there are string inputs, for RegexFullMatch.
 * Class names, input names and the whole preprocessing state are in metadata_props.
 */
import { pixelOrder } from '../data/preprocess.js';
import { parseNumber } from '../data/values.js';
import { ELU_ALPHA, LEAKY_SLOPE, SELU_ALPHA, SELU_LAMBDA } from '../nn/activations.js';
import { ProtoWriter } from './protobuf.js';
import type { NetLayer } from './net.js';
import { describeInputs, numericFirstOrder, permuteRows, type ExportModel } from './source.js';

const FLOAT = 1;
const INT64 = 7;
const STRING = 8;
const BOOL = 9;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

type Attr = { name: string; f: number } | { name: string; i: number } | { name: string; s: string } | { name: string; ints: readonly number[] };

/** Builds a GraphProto: nodes, initializers (constants), inputs and outputs. */
class Graph {
  private readonly nodes: ProtoWriter[] = [];
  private readonly initializers: ProtoWriter[] = [];
  readonly inputs: ProtoWriter[] = [];
  readonly outputs: ProtoWriter[] = [];
  private count = 0;

  /** A fresh value name. */
  fresh(prefix: string): string {
    return `${prefix}_${this.count++}`;
  }

  floats(prefix: string, dims: number[], values: ArrayLike<number>): string {
    const name = this.fresh(prefix);
    const data = Float32Array.from(values);
    const bytes = new Uint8Array(data.length * 4);
    const view = new DataView(bytes.buffer);
    data.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.initializers.push(tensor(name, FLOAT, dims).bytes(9, bytes));
    return name;
  }

  int64s(prefix: string, dims: number[], values: readonly number[]): string {
    const name = this.fresh(prefix);
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push(tensor(name, INT64, dims).bytes(9, bytes));
    return name;
  }

  bools(prefix: string, dims: number[], values: readonly boolean[]): string {
    const name = this.fresh(prefix);
    this.initializers.push(tensor(name, BOOL, dims).bytes(9, Uint8Array.from(values, (v) => (v ? 1 : 0))));
    return name;
  }

  strings(prefix: string, dims: number[], values: readonly string[]): string {
    const name = this.fresh(prefix);
    const t = tensor(name, STRING, dims);
    const utf8 = new TextEncoder();
    for (const v of values) t.bytes(6, utf8.encode(v));
    this.initializers.push(t);
    return name;
  }

  /** Adds a node; returns its (single) output's name. */
  node(op: string, inputs: string[], attrs: Attr[] = [], output = this.fresh(op.toLowerCase())): string {
    const n = new ProtoWriter();
    for (const i of inputs) n.string(1, i);
    n.string(2, output).string(3, `${op}_${this.nodes.length}`).string(4, op);
    for (const a of attrs) {
      const w = new ProtoWriter().string(1, a.name);
      if ('f' in a) w.float(2, a.f).varint(20, ATTR_FLOAT);
      else if ('s' in a) w.bytes(4, new TextEncoder().encode(a.s)).varint(20, ATTR_STRING);
      else if ('ints' in a) {
        for (const v of a.ints) w.varint(8, v);
        w.varint(20, ATTR_INTS);
      } else w.varint(3, a.i).varint(20, ATTR_INT);
      n.message(5, w);
    }
    this.nodes.push(n);
    return output;
  }

  finish(name: string, doc: string): ProtoWriter {
    const g = new ProtoWriter();
    for (const n of this.nodes) g.message(1, n);
    g.string(2, name);
    for (const t of this.initializers) g.message(5, t);
    g.string(10, doc);
    for (const i of this.inputs) g.message(11, i);
    for (const o of this.outputs) g.message(12, o);
    return g;
  }
}

function tensor(name: string, type: number, dims: number[]): ProtoWriter {
  const t = new ProtoWriter();
  for (const d of dims) t.varint(1, d);
  return t.varint(2, type).string(8, name);
}

/** ValueInfoProto of a tensor [N, ...dims] (a row of `width` values, or an image [C, H, W]) with N symbolic. */
function valueInfo(name: string, type: number, width: number | readonly number[]): ProtoWriter {
  const shape = new ProtoWriter().message(1, new ProtoWriter().string(2, 'N'));
  for (const d of typeof width === 'number' ? [width] : width) shape.message(1, new ProtoWriter().varint(1, d));
  const tensorType = new ProtoWriter().varint(1, type).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

/** The ONNX file of a model (see the header for its inputs and outputs). */
export function toOnnx(m: ExportModel, producerVersion = '0'): Uint8Array {
  const g = new Graph();
  const strings = m.categorical.length > 0;
  let x: string;
  if (m.net) {
    x = imageInputs(g, m, m.spec.input);
    m.net.forEach((layer, i) => { x = netLayer(g, layer, i + 1, x); });
  } else {
    x = m.preprocessing.kind === 'image' ? imageInputs(g, m) : tableInputs(g, m);
    m.layers.forEach((layer, i) => {
      const W = i === 0 ? permuteRows(layer.W, layer.units, numericFirstOrder(m.preprocessing)) : layer.W;
      const w = g.floats(`W${i + 1}`, [layer.inputs, layer.units], W);
      const z = layer.b ? g.node('Gemm', [x, w, g.floats(`b${i + 1}`, [layer.units], layer.b)]) : g.node('MatMul', [x, w]);
      x = activation(g, layer.activation, z);
    });
  }
  if (m.singleUnitBinary) {
    const q = g.node('Sub', [g.floats('one', [], [1]), x]);
    x = g.node('Concat', [q, x], [{ name: 'axis', i: 1 }]);
  }
  const output = m.task === 'regression' ? 'values' : 'probabilities';
  g.node('Identity', [x], [], output);
  g.outputs.push(valueInfo(output, FLOAT, m.outputs));
  if (m.threshold !== null) {
    // label = 1 where P(second class) ≥ the run's decision threshold, else 0.
    const second = g.node('Gather', [x, g.int64s('second', [1], [1])], [{ name: 'axis', i: 1 }]);
    const hit = g.node('GreaterOrEqual', [second, g.floats('threshold', [], [m.threshold])]);
    g.node('Cast', [hit], [{ name: 'to', i: INT64 }], 'label');
    g.outputs.push(valueInfo('label', INT64, 1));
  }

  const model = new ProtoWriter()
    .varint(1, strings ? 9 : 7)
    .string(2, 'NN Studio')
    .string(3, producerVersion)
    .varint(5, 1)
    .string(6, `${m.name}: takes ${describeInputs(m)}; gives ${m.task === 'regression' ? `the predicted ${m.outputName}` : 'class probabilities'}.`)
    .message(7, g.finish(m.name, describeInputs(m)))
    .message(8, new ProtoWriter().varint(2, strings ? 20 : 13));
  for (const [key, value] of Object.entries(onnxMetadata(m))) model.message(14, new ProtoWriter().string(1, key).string(2, value));
  return model.finish();
}

/**
 * What JavaScript's trim() removes (the studio trims text cells before reading them as labels), as
 * an RE2 character class: ASCII white space, no-break space, the Unicode space separators, line and
 * paragraph separators, the byte-order mark.
 */
const SPACE = '[\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]*';
/** The missing-value spellings of shared/data/values.ts (any case, surrounding spaces ignored). */
const MISSING_PATTERN = `(?i)${SPACE}(|na|n/a|nan|null|\\?)${SPACE}`;
/** A decimal number as parseNumber reads it (surrounding spaces allowed; no hex, no Infinity). */
const DECIMAL_PATTERN = `${SPACE}[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?${SPACE}`;

/** RE2 syntax for the literal text: every ASCII character but letters and digits as its \x{HH} escape. */
function regexLiteral(text: string): string {
  return text.replace(/[^A-Za-z0-9\u0080-\uffff]/g, (c) => `\\x{${c.charCodeAt(0).toString(16).padStart(2, '0')}}`);
}

/**
 * Cells of `column` [N, 1] that read as `category`, as predict reads them: a text category when the
 * trimmed cell is that text (case counts); a category spelled as a number (a number cell of the
 * training file) when the cell is a decimal number with the same float32 value ('5.10' is 5.1).
 */
function categoryMatch(g: Graph, column: string, category: string): string {
  if (!Number.isNaN(parseNumber(category))) {
    const decimal = g.node('RegexFullMatch', [column], [{ name: 'pattern', s: DECIMAL_PATTERN }]);
    const text = g.node('Where', [decimal, column, g.strings('not_a_number', [], ['NaN'])]);
    const value = g.node('Cast', [text], [{ name: 'to', i: FLOAT }]);
    return g.node('Equal', [value, g.floats('category_value', [], [parseNumber(category)])]);
  }
  return g.node('RegexFullMatch', [column], [{ name: 'pattern', s: `${SPACE}${regexLiteral(category)}${SPACE}` }]);
}

/**
 * numeric → filled, centred, scaled; categorical → one-hot, the raw text read as predict reads it
 * (trimmed, the missing spellings filled, an unseen category all zeros); numeric block first.
 */
function tableInputs(g: Graph, m: ExportModel): string {
  const pieces: string[] = [];
  if (m.numeric.length > 0) {
    g.inputs.push(valueInfo('features', FLOAT, m.numeric.length));
    const F = [m.numeric.length];
    const missing = g.node('IsNaN', ['features']);
    const filled = g.node('Where', [missing, g.floats('fill', F, m.numeric.map((f) => f.fill)), 'features']);
    const centred = g.node('Sub', [filled, g.floats('offset', F, m.numeric.map((f) => f.offset))]);
    pieces.push(g.node('Mul', [centred, g.floats('scale', F, m.numeric.map((f) => f.scale))]));
  }
  if (m.categorical.length > 0) {
    g.inputs.push(valueInfo('categories', STRING, m.categorical.length));
    m.categorical.forEach((f, j) => {
      const column = g.node('Gather', ['categories', g.int64s('column', [1], [j])], [{ name: 'axis', i: 1 }]);
      const missing = g.node('RegexFullMatch', [column], [{ name: 'pattern', s: MISSING_PATTERN }]);
      const hot = (category: string) => g.node('Or', [
        g.node('And', [missing, g.bools('is_fill', [], [category === f.fill])]),
        categoryMatch(g, column, category),
      ]);
      const hits = f.categories.map((c) => g.node('Cast', [hot(c)], [{ name: 'to', i: FLOAT }]));
      pieces.push(hits.length === 1 ? hits[0] : g.node('Concat', hits, [{ name: 'axis', i: 1 }]));
    });
  }
  return pieces.length === 1 ? pieces[0] : g.node('Concat', pieces, [{ name: 'axis', i: 1 }]);
}

/** pixels / 255 → − offset → × scale, as training saw them; `shape` [C, H, W] for a convolutional network. */
function imageInputs(g: Graph, m: ExportModel, shape?: readonly number[]): string {
  const state = m.preprocessing;
  if (state.kind !== 'image') throw new Error('not an image model');
  g.inputs.push(valueInfo('pixels', FLOAT, shape ?? state.inputSize));
  const unit = g.node('Div', ['pixels', g.floats('max', [], [255])]);
  const centred = g.node('Sub', [unit, g.floats('offset', [], [state.offset])]);
  return g.node('Mul', [centred, g.floats('scale', [], [state.scale])]);
}

/** One layer of a convolutional network applied to x (NCHW, or [N, F] after a flatten); `n` numbers its constants. */
function netLayer(g: Graph, layer: NetLayer, n: number, x: string): string {
  switch (layer.type) {
    case 'conv2d': {
      const [C] = layer.input;
      const OC = layer.output[0];
      const inputs = [x, g.floats(`W${n}`, [OC, C, layer.kernel, layer.kernel], layer.W)];
      if (layer.b) inputs.push(g.floats(`b${n}`, [OC], layer.b));
      const z = g.node('Conv', inputs, [
        { name: 'kernel_shape', ints: [layer.kernel, layer.kernel] },
        { name: 'strides', ints: [layer.stride, layer.stride] },
        // ONNX pads: [top, left, bottom, right].
        { name: 'pads', ints: [layer.padTop, layer.padLeft, layer.padBottom, layer.padRight] },
      ]);
      return activation(g, layer.activation, z);
    }
    case 'maxpool2d':
    case 'avgpool2d':
      return g.node(layer.type === 'maxpool2d' ? 'MaxPool' : 'AveragePool', [x], [
        { name: 'kernel_shape', ints: [layer.size, layer.size] },
        { name: 'strides', ints: [layer.stride, layer.stride] },
      ]);
    case 'globalavgpool':
      // [N, C, 1, 1] → [N, C].
      return g.node('Flatten', [g.node('GlobalAveragePool', [x])], [{ name: 'axis', i: 1 }]);
    case 'flatten':
      return g.node('Flatten', [x], [{ name: 'axis', i: 1 }]);
    case 'batchnorm': {
      // y = γ·(x − running mean)/√(running var + ε) + β, per channel (axis 1) of [N, C] or [N, C, H, W].
      const C = [layer.channels];
      return g.node('BatchNormalization', [
        x, g.floats(`gamma${n}`, C, layer.gamma), g.floats(`beta${n}`, C, layer.beta),
        g.floats(`mean${n}`, C, layer.mean), g.floats(`var${n}`, C, layer.variance),
      ], [{ name: 'epsilon', f: layer.eps }]);
    }
    case 'activation':
      return activation(g, layer.activation, x);
    case 'dense': {
      const w = g.floats(`W${n}`, [layer.inputs, layer.units], layer.W);
      const z = layer.b ? g.node('Gemm', [x, w, g.floats(`b${n}`, [layer.units], layer.b)]) : g.node('MatMul', [x, w]);
      return activation(g, layer.activation, z);
    }
    default:
      throw new Error(`no ONNX operator for layer ${JSON.stringify((layer satisfies never as { type: string }).type)}`);
  }
}

/** The activation's operator(s) applied to z; returns the output's name. */
function activation(g: Graph, name: ExportModel['layers'][number]['activation'], z: string): string {
  switch (name) {
    case 'identity':
      return z;
    case 'sigmoid':
      return g.node('Sigmoid', [z]);
    case 'tanh':
      return g.node('Tanh', [z]);
    case 'relu':
      return g.node('Relu', [z]);
    case 'leaky-relu':
      return g.node('LeakyRelu', [z], [{ name: 'alpha', f: LEAKY_SLOPE }]);
    case 'elu':
      return g.node('Elu', [z], [{ name: 'alpha', f: ELU_ALPHA }]);
    case 'selu':
      return g.node('Selu', [z], [{ name: 'alpha', f: SELU_ALPHA }, { name: 'gamma', f: SELU_LAMBDA }]);
    case 'softplus':
      return g.node('Softplus', [z]);
    case 'softmax':
      return g.node('Softmax', [z], [{ name: 'axis', i: 1 }]);
    case 'step':
      // The perceptron's Heaviside step: 1 where z > 0, else 0.
      return g.node('Cast', [g.node('Greater', [z, g.floats('zero', [], [0])])], [{ name: 'to', i: FLOAT }]);
    default:
      throw new Error(`no ONNX operator for activation ${JSON.stringify(name satisfies never)}`);
  }
}

/** metadata_props: what a consumer needs to feed the model and read its output. */
export function onnxMetadata(m: ExportModel): Record<string, string> {
  const state = m.preprocessing;
  const inputs = state.kind === 'image'
    ? [{ name: 'pixels', type: 'float32', width: state.width, height: state.height, channels: state.channels,
      layout: m.net ? '[N, channels, height, width]' : pixelOrder(state), range: [0, 255] }]
    : [
      ...(m.numeric.length ? [{ name: 'features', type: 'float32', columns: m.numeric.map((f) => f.column), missing: 'NaN' }] : []),
      ...(m.categorical.length ? [{
        name: 'categories', type: 'string', columns: m.categorical.map((f) => f.column),
        missing: "'', NA, N/A, NaN, null or ? in any case; surrounding spaces are ignored",
        categories: Object.fromEntries(m.categorical.map((f) => [f.column, f.categories])),
      }] : []),
    ];
  const meta: Record<string, string> = {
    task: m.task,
    target: state.target.column,
    inputs: JSON.stringify(inputs),
    input_names: JSON.stringify(state.kind === 'image' ? ['pixels'] : state.columns),
    feature_names: JSON.stringify(state.kind === 'table' ? state.featureNames : []),
    output: JSON.stringify({ name: m.task === 'regression' ? 'values' : 'probabilities', columns: m.classes ?? [m.outputName] }),
    preprocessing: JSON.stringify(state),
  };
  if (m.classes) meta.classes = JSON.stringify(m.classes);
  if (m.threshold !== null) meta.threshold = String(m.threshold);
  return meta;
}
