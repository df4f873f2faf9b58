/**
 * Python: one module needing only NumPy, weights inline (base64) or in a `.npz` beside it, with
 * `predict(X)` on RAW rows read as the studio reads them (the rules of shared/data/values.ts and
 * preprocess.ts, repeated in Python; test/export runs the module with python3 against the studio's
 * own predictions so the two cannot drift).
 */
import { pixelOrder } from '../data/preprocess.js';
import { ELU_ALPHA, LEAKY_SLOPE, SELU_ALPHA, SELU_LAMBDA } from '../nn/activations.js';
import { float32ToBase64 } from '../ipc/binary.js';
import { npz } from './npz.js';
import type { NetLayer } from './net.js';
import { replaceOnce } from './text.js';
import { describeInputs, type ExportModel } from './source.js';

export interface PythonExport {
  /** The module's source. */
  module: string;
  /** The weights archive, when asked for (`W1`, `b1`, `W2`, … as float32 arrays). */
  npz?: Uint8Array;
}

/**
 * The Python module. With `weights: 'npz'` the module loads `<npzName>` from its own folder and the
 * archive is returned beside it; inline (the default) the module is a single file.
 */
export function toPython(m: ExportModel, options: { weights?: 'inline' | 'npz'; npzName?: string; producerVersion?: string } = {}): PythonExport {
  const state = m.preprocessing;
  const inline = options.weights !== 'npz';
  const npzName = options.npzName ?? 'model.npz';
  const shapes = m.net ? m.net.map(netLayerJson) : m.layers.map((l) => ({ inputs: l.inputs, units: l.units, activation: l.activation, bias: l.b !== null }));
  const tensors = namedTensors(m);
  const weightsCode = inline
    ? `_WEIGHTS = {\n${tensors.map(([name, t]) => `    "${name}": ${pyString(float32ToBase64(t.data))},\n`).join('')}}\n\n\ndef _weight(name, shape):\n    return np.frombuffer(base64.b64decode(_WEIGHTS[name]), dtype="<f4").astype(np.float64).reshape(shape)\n`
    : `_NPZ = os.path.join(os.path.dirname(os.path.abspath(__file__)), ${pyString(npzName)})\nwith np.load(_NPZ) as _archive:\n    _WEIGHTS = {name: _archive[name] for name in _archive.files}\n\n\ndef _weight(name, shape):\n    return np.asarray(_WEIGHTS[name], dtype="<f4").astype(np.float64).reshape(shape)\n`;
  const usage = state.kind === 'table'
    ? `    predict([{${state.columns.slice(0, 2).map((c) => `${pyString(c)}: ...`).join(', ')}${state.columns.length > 2 ? ', ...' : ''}}])`
    : `    predict(images)  # images: an array [n, ${state.inputSize}] of pixel values 0-255`;
  const module = `"""${pyDoc(m.name)}: a neural network exported by NN Studio ${options.producerVersion ?? '0'}. Needs only NumPy.

Takes ${pyDoc(describeInputs(m))}.

${usage}
    # -> ${m.task === 'regression' ? `an array of predicted ${pyDoc(m.outputName)} values` : 'a list of class names'}
${m.task === 'classification' ? '    predict_proba(rows)  # -> an array [n, K] of class probabilities, columns in CLASSES order\n' : ''}
${state.kind === 'table'
    ? `Rows are dicts keyed by column name, or sequences in COLUMNS order (a 2-D NumPy array works too).
Cells may be numbers or text as in the training file ("5.1", "red"); "", NA, N/A, NaN, null, ?,
None and absent keys are missing values, filled as in training. A category never seen in training
gets no one-hot input.`
    : m.net ? 'Each image is CHANNELS x HEIGHT x WIDTH pixel values (0-255), channel by channel, then row by row.'
      : `Each image is WIDTH x HEIGHT x CHANNELS pixel values (0-255), ${pixelOrder(state)}.`}
"""
import base64
import json
import math
import os
import re

import numpy as np

TASK = ${pyString(m.task)}
CLASSES = json.loads(${pyString(JSON.stringify(m.classes))})
TARGET = ${pyString(state.target.column)}
COLUMNS = json.loads(${pyString(JSON.stringify(state.kind === 'table' ? state.columns : []))})
FEATURE_NAMES = json.loads(${pyString(JSON.stringify(state.kind === 'table' ? state.featureNames : []))})
_STATE = json.loads(${pyString(JSON.stringify(state))})
_LAYERS = json.loads(${pyString(JSON.stringify(shapes))})
_SINGLE_UNIT_BINARY = ${m.singleUnitBinary ? 'True' : 'False'}
# Two classes: the second is predicted when its probability is >= THRESHOLD (None: the more probable class).
THRESHOLD = ${m.threshold === null ? 'None' : String(m.threshold)}
_INPUT_SHAPE = json.loads(${pyString(JSON.stringify(m.spec.input))})

${weightsCode}
${m.net ? PY_NET_RUNTIME : PY_RUNTIME}`;
  return { module, npz: inline ? undefined : npz(Object.fromEntries(tensors)) };
}

type Tensor = { data: Float32Array; shape: number[] };

/**
 * The weights by name, in layer order: a dense stack's W1, b1, W2, …; a convolutional network's
 * L<n>_W, L<n>_b, L<n>_gamma, L<n>_beta, L<n>_mean, L<n>_var (n = the exported layer's number).
 */
function namedTensors(m: ExportModel): [string, Tensor][] {
  if (!m.net) {
    return m.layers.flatMap((l, i): [string, Tensor][] => [
      [`W${i + 1}`, { data: l.W, shape: [l.inputs, l.units] }],
      ...(l.b ? [[`b${i + 1}`, { data: l.b, shape: [l.units] }] as [string, Tensor]] : []),
    ]);
  }
  return m.net.flatMap((layer, i): [string, Tensor][] => {
    const n = `L${i + 1}_`;
    switch (layer.type) {
      case 'conv2d':
        return [[`${n}W`, { data: layer.W, shape: [layer.output[0], layer.input[0], layer.kernel, layer.kernel] }],
          ...(layer.b ? [[`${n}b`, { data: layer.b, shape: [layer.output[0]] }] as [string, Tensor]] : [])];
      case 'dense':
        return [[`${n}W`, { data: layer.W, shape: [layer.inputs, layer.units] }],
          ...(layer.b ? [[`${n}b`, { data: layer.b, shape: [layer.units] }] as [string, Tensor]] : [])];
      case 'batchnorm': {
        const C = [layer.channels];
        return [[`${n}gamma`, { data: layer.gamma, shape: C }], [`${n}beta`, { data: layer.beta, shape: C }],
          [`${n}mean`, { data: layer.mean, shape: C }], [`${n}var`, { data: layer.variance, shape: C }]];
      }
      default:
        return [];
    }
  });
}

/** A convolutional network's layer as the Python module's _LAYERS entry (its tensors by name, shapes from namedTensors). */
function netLayerJson(layer: NetLayer): Record<string, unknown> {
  switch (layer.type) {
    case 'conv2d':
      return { type: layer.type, activation: layer.activation, bias: layer.b !== null, shape: [layer.output[0], layer.input[0], layer.kernel, layer.kernel],
        stride: layer.stride, pads: [layer.padTop, layer.padBottom, layer.padLeft, layer.padRight], output: layer.output };
    case 'dense':
      return { type: layer.type, activation: layer.activation, bias: layer.b !== null, shape: [layer.inputs, layer.units] };
    case 'maxpool2d':
    case 'avgpool2d':
      return { type: layer.type, size: layer.size, stride: layer.stride, output: layer.output };
    case 'batchnorm':
      return { type: layer.type, channels: layer.channels, image: layer.image, eps: layer.eps };
    case 'activation':
      return { type: layer.type, activation: layer.activation };
    default:
      return { type: layer.type };
  }
}

/** A Python string literal (a JSON string is one: the same escapes). */
function pyString(text: string): string {
  return JSON.stringify(text);
}

/** Text safe inside a """docstring""". */
function pyDoc(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"').replace(/[\r\n]+/g, ' ');
}

const PY_RUNTIME = String.raw`_NETWORK = []
for _i, _layer in enumerate(_LAYERS):
    _W = _weight("W%d" % (_i + 1), (_layer["inputs"], _layer["units"]))
    _b = _weight("b%d" % (_i + 1), (_layer["units"],)) if _layer["bias"] else None
    _NETWORK.append((_W, _b, _layer["activation"]))

# ---------------------------------------------------------------------------------------------
# Reading a cell as the training file was read.

_MISSING = {"", "na", "n/a", "nan", "null", "?"}
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _parse_number(text):
    """The number a text spells in decimal notation, else None (no hex, no inf, no blank)."""
    if not text or text[0] not in "0123456789+-. \t":
        return None
    trimmed = text.strip()
    if not _DECIMAL.fullmatch(trimmed):
        return None
    value = float(trimmed)
    return value if math.isfinite(value) else None


def _js_string(value):
    """How JavaScript spells a number (String(x)): the studio's category labels were made that way."""
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    if 1e-6 <= abs(value) < 1e21:
        return np.format_float_positional(value, unique=True, trim="-")
    mantissa, exponent = repr(value).split("e")
    return "%se%s%d" % (mantissa, "-" if int(exponent) < 0 else "+", abs(int(exponent)))


def _format_float32(value):
    """The shortest decimal spelling that reads back as the same float32."""
    if value == int(value) and abs(value) < 2 ** 24:
        return str(int(value))
    target = np.float32(value)
    for digits in range(1, 10):
        text = float("%.*g" % (digits, value))
        if np.float32(text) == target:
            return _js_string(text)
    return _js_string(value)


def _read_cell(cell, row, column):
    """A number (rounded to float32, as the studio stores table cells), a text label, or None for missing."""
    if isinstance(cell, (bool, np.bool_)):
        return "true" if cell else "false"
    if isinstance(cell, str):
        value = _parse_number(cell)
        if value is not None:
            return float(np.float32(value))
        return None if cell.strip().lower() in _MISSING else cell.strip()
    if cell is None:
        return None
    if isinstance(cell, (int, float, np.integer, np.floating)):
        value = float(cell)
        return float(np.float32(value)) if math.isfinite(value) else None
    raise ValueError("row %d, column %r: expected a number, a text or None, found %r" % (row, column, cell))


# ---------------------------------------------------------------------------------------------
# Preprocessing: raw rows -> the network's inputs.

_CATEGORY_INDEX = [
    {c: i for i, c in enumerate(f["categories"])} if f["kind"] == "categorical" else None
    for f in _STATE.get("features", [])
]


def _rows(X):
    if hasattr(X, "to_dict"):  # a pandas DataFrame, without importing pandas
        return X.to_dict("records")
    return list(X)


def encode(X):
    """The network's input rows, float32 [n, inputs], for raw rows (or images)."""
    state = _STATE
    width = state["inputSize"]
    if state["kind"] == "image":
        pixels = np.asarray(X, dtype=np.float64).reshape(-1, width)
        return ((pixels / 255 - state["offset"]) * state["scale"]).astype(np.float32)
    rows = _rows(X)
    x = np.zeros((len(rows), width), dtype=np.float32)
    columns = state["columns"]
    for r, row in enumerate(rows):
        cells = [row.get(c) for c in columns] if isinstance(row, dict) else list(row)
        at = 0
        for j, f in enumerate(state["features"]):
            cell = _read_cell(cells[columns.index(f["column"])], r + 1, f["column"])
            if f["kind"] == "numeric":
                if isinstance(cell, str):
                    raise ValueError("row %d, column %r: expected a number, found %r" % (r + 1, f["column"], cell))
                x[r, at] = ((f["fill"] if cell is None else cell) - f["offset"]) * f["scale"]
                at += 1
            else:
                label = _format_float32(cell) if isinstance(cell, float) else (f["fill"] if cell is None else cell)
                k = _CATEGORY_INDEX[j].get(label)
                if k is not None:
                    x[r, at + k] = 1
                at += len(f["categories"])
    return x


# ---------------------------------------------------------------------------------------------
# The network: z = x.W + b, a = f(z), layer by layer.

def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


_ACTIVATIONS = {
    "identity": lambda z: z,
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "leaky-relu": lambda z: np.where(z > 0, z, ${LEAKY_SLOPE} * z),
    "elu": lambda z: np.where(z > 0, z, ${ELU_ALPHA} * np.expm1(np.minimum(z, 0))),
    "selu": lambda z: ${SELU_LAMBDA} * np.where(z > 0, z, ${SELU_ALPHA} * np.expm1(np.minimum(z, 0))),
    "softplus": lambda z: np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))),
    "softmax": _softmax,
    "step": lambda z: (z > 0).astype(np.float64),
}


def _forward(a):
    for W, b, activation in _NETWORK:
        z = a @ W
        if b is not None:
            z = z + b
        a = _ACTIVATIONS[activation](z)
    return a


def outputs(X):
    """Per row: the class probabilities (a single sigmoid unit widened to [1 - p, p]) or the values."""
    a = _forward(encode(X).astype(np.float64))
    return np.hstack([1 - a, a]) if _SINGLE_UNIT_BINARY else a


def predict_proba(X):
    """Class probabilities [n, K], columns in CLASSES order."""
    if TASK != "classification":
        raise TypeError("this model is a regression; use predict(X)")
    return outputs(X)


def predict(X):
    """The class name per row (classification), or the predicted value per row (regression)."""
    out = outputs(X)
    if TASK == "regression":
        return out[:, 0] if out.shape[1] == 1 else out
    best = (out[:, 1] >= THRESHOLD).astype(int) if THRESHOLD is not None and out.shape[1] == 2 else out.argmax(axis=1)
    return [CLASSES[k] if CLASSES else str(k) for k in best]
`;

/** The parts of the dense runtime a convolutional network replaces: its network (the runtime's first lines) and its forward pass. */
const PY_DENSE_NETWORK = PY_RUNTIME.slice(0, PY_RUNTIME.indexOf('\n\n') + 1);
const PY_DENSE_FORWARD = PY_RUNTIME.slice(PY_RUNTIME.indexOf('def _forward(a):'), PY_RUNTIME.indexOf('\n\n\ndef outputs(X):') + 1);

/**
 * A convolutional network's runtime: the dense one with its network and forward pass replaced.
 * Images are [n, C, H, W]; convolution is im2col by NumPy's sliding windows and one einsum.
 */
const PY_NET_RUNTIME = replaceOnce(replaceOnce(PY_RUNTIME, PY_DENSE_NETWORK, String.raw`from numpy.lib.stride_tricks import sliding_window_view

_NETWORK = []
for _i, _layer in enumerate(_LAYERS):
    _n = "L%d_" % (_i + 1)
    _t = dict(_layer)
    if _layer["type"] in ("conv2d", "dense"):
        _t["W"] = _weight(_n + "W", _layer["shape"])
        _t["b"] = _weight(_n + "b", (_layer["shape"][0 if _layer["type"] == "conv2d" else 1],)) if _layer["bias"] else None
    elif _layer["type"] == "batchnorm":
        _t.update({k: _weight(_n + k, (_layer["channels"],)) for k in ("gamma", "beta", "mean", "var")})
    _NETWORK.append(_t)
`, 'python.ts'), PY_DENSE_FORWARD, String.raw`def _windows(a, k, stride, out_h, out_w):
    """im2col: [n, C, OH, OW, k, k], the k x k window under each output position."""
    return sliding_window_view(a, (k, k), axis=(2, 3))[:, :, ::stride, ::stride][:, :, :out_h, :out_w]


def _layer_forward(t, a):
    kind = t["type"]
    if kind == "conv2d":
        # z[n, o, y, x] = sum over c, i, j of W[o, c, i, j] * padded[n, c, y*s + i, x*s + j] + b[o]
        top, bottom, left, right = t["pads"]
        padded = np.pad(a, ((0, 0), (0, 0), (top, bottom), (left, right)))
        z = np.einsum("ncyxij,ocij->noyx", _windows(padded, t["shape"][2], t["stride"], *t["output"][1:]), t["W"])
        if t["b"] is not None:
            z = z + t["b"][None, :, None, None]
        return _ACTIVATIONS[t["activation"]](z)
    if kind in ("maxpool2d", "avgpool2d"):
        w = _windows(a, t["size"], t["stride"], *t["output"][1:])
        return w.max(axis=(4, 5)) if kind == "maxpool2d" else w.mean(axis=(4, 5))
    if kind == "globalavgpool":
        return a.mean(axis=(2, 3))
    if kind == "flatten":
        return a.reshape(a.shape[0], -1)  # C, H, W order, as the studio reads it
    if kind == "batchnorm":
        # y = gamma (x - running mean) / sqrt(running var + eps) + beta, per channel (axis 1)
        shape = (1, -1, 1, 1) if t["image"] else (1, -1)
        scale = t["gamma"] / np.sqrt(t["var"] + t["eps"])
        return (a - t["mean"].reshape(shape)) * scale.reshape(shape) + t["beta"].reshape(shape)
    if kind == "activation":
        return _ACTIVATIONS[t["activation"]](a)
    z = a @ t["W"]
    return _ACTIVATIONS[t["activation"]](z + t["b"] if t["b"] is not None else z)


def _forward(a):
    a = a.reshape((a.shape[0],) + tuple(_INPUT_SHAPE))
    for t in _NETWORK:
        a = _layer_forward(t, a)
    return a
`, 'python.ts');

