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
  const shapes = m.layers.map((l) => ({ inputs: l.inputs, units: l.units, activation: l.activation, bias: l.b !== null }));
  const weightsCode = inline
    ? `_WEIGHTS = {\n${m.layers.map((l, i) => `    "W${i + 1}": ${pyString(float32ToBase64(l.W))},\n${l.b ? `    "b${i + 1}": ${pyString(float32ToBase64(l.b))},\n` : ''}`).join('')}}\n\n\ndef _weight(name, shape):\n    return np.frombuffer(base64.b64decode(_WEIGHTS[name]), dtype="<f4").astype(np.float64).reshape(shape)\n`
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

${weightsCode}
${PY_RUNTIME}`;
  return { module, npz: inline ? undefined : npz(Object.fromEntries(m.layers.flatMap((l, i) => [
    [`W${i + 1}`, { data: l.W, shape: [l.inputs, l.units] }],
    ...(l.b ? [[`b${i + 1}`, { data: l.b, shape: [l.units] }] as const] : []),
  ]))) };
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


def outputs(X):
    """Per row: the class probabilities (a single sigmoid unit widened to [1 - p, p]) or the values."""
    a = encode(X).astype(np.float64)
    for W, b, activation in _NETWORK:
        z = a @ W
        if b is not None:
            z = z + b
        a = _ACTIVATIONS[activation](z)
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
    return [CLASSES[k] if CLASSES else str(k) for k in out.argmax(axis=1)]
`;
