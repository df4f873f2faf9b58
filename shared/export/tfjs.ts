/**
 * TensorFlow.js layers format: `model.json` (a Keras-style Sequential topology plus the weights
 * manifest) and one binary weights file, loadable by `tf.loadLayersModel`.
 *
 * Preprocessing is baked in as two `Rescaling` layers with per-input arrays: x − offset, then
 * × scale — exactly the studio's (x − offset)·scale, with no cancellation a single x·s − o·s
 * would risk. Image models: pixels × 1/255 − offset, then × scale.
 *
 * What TF.js layers cannot do: read text. model.json takes the network's own input row [N, F] in
 * the model's feature order (`userDefinedMetadata.featureNames`): numeric columns raw, each
 * categorical column as its one-hot 0/1 inputs, and no missing values (NaN is not filled). For
 * raw rows, a table model's export adds `<stem>.predict.mjs` (tfjs-rows.ts), which reads them as
 * the studio does and feeds the model.
 *
 * Activations map to Dense's own ('linear', 'sigmoid', 'tanh', 'relu', 'elu', 'selu', 'softplus',
 * 'softmax') or a LeakyReLU layer (α = 0.01); a single sigmoid unit is widened to [1 − p, p] by a
 * last Dense with kernel [[−1, 1]] and bias [1, 0]. The perceptron's step has no TF.js equivalent.
 *
 * Convolutional networks take images NHWC [N, H, W, C] (TF.js's channels_last): conv kernels are
 * transposed from the engine's OIHW to HWIO, and since Flatten then yields H, W, C order where the
 * engine's dense layer reads C, H, W, the first dense layer's rows (and a per-feature batchnorm's
 * vectors in between) are permuted from C, H, W to H, W, C order.
 */
import type { ActivationName } from '../nn/activations.js';
import { LEAKY_SLOPE } from '../nn/activations.js';
import type { NetLayer } from './net.js';
import { ExportError, describeInputs, permuteRows, type ExportModel } from './source.js';

export interface TfjsExport {
  /** The parsed model.json (serialise with JSON.stringify). */
  modelJson: TfjsModelJson;
  /** The weights file's bytes (little-endian float32, in manifest order). */
  weights: Uint8Array;
}

export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: { class_name: 'Sequential'; config: { name: string; layers: TfjsLayer[] }; keras_version: string; backend: string };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: 'float32' }[] }[];
  userDefinedMetadata: Record<string, unknown>;
}

interface TfjsLayer {
  class_name: string;
  config: Record<string, unknown>;
}

const DENSE_ACTIVATION: Partial<Record<ActivationName, string>> = {
  identity: 'linear',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'relu',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softmax: 'softmax',
  'leaky-relu': 'linear',
};

/** The model in TF.js layers format; `weightsFile` is the name model.json gives the weights file. */
export function toTfjs(m: ExportModel, weightsFile = 'weights.bin', producerVersion = '0'): TfjsExport {
  const layers: TfjsLayer[] = [];
  const manifest: TfjsModelJson['weightsManifest'][number]['weights'] = [];
  const blobs: Float32Array[] = [];
  const [C, H, W] = m.spec.input;
  const first = { batch_input_shape: m.net ? [null, H, W, C] : [null, m.layers[0]?.inputs], dtype: 'float32' };

  const [center, scale] = rescalings(m);
  layers.push({ class_name: 'Rescaling', config: { name: 'preprocess_center', trainable: false, ...first, ...center } });
  layers.push({ class_name: 'Rescaling', config: { name: 'preprocess_scale', trainable: false, ...scale } });

  const dense = (name: string, units: number, activation: string, W: Float32Array, b: Float32Array | null, inputs: number) => {
    layers.push({ class_name: 'Dense', config: { name, trainable: true, units, activation, use_bias: b !== null } });
    manifest.push({ name: `${name}/kernel`, shape: [inputs, units], dtype: 'float32' });
    blobs.push(W);
    if (b) {
      manifest.push({ name: `${name}/bias`, shape: [units], dtype: 'float32' });
      blobs.push(b);
    }
  };
  const weight = (name: string, shape: number[], data: Float32Array) => {
    manifest.push({ name, shape, dtype: 'float32' });
    blobs.push(data);
  };
  if (m.net) netLayers(m.net, layers, weight);
  m.layers.forEach((layer, i) => {
    const activation = DENSE_ACTIVATION[layer.activation];
    if (!activation) {
      throw new ExportError(`TensorFlow.js has no '${layer.activation}' activation (layer ${i + 1}); export this model as ONNX, JavaScript, Python or JSON`);
    }
    dense(`dense_${i + 1}`, layer.units, activation, layer.W, layer.b, layer.inputs);
    if (layer.activation === 'leaky-relu') layers.push({ class_name: 'LeakyReLU', config: { name: `leaky_relu_${i + 1}`, trainable: true, alpha: LEAKY_SLOPE } });
  });
  if (m.singleUnitBinary) dense('binary_probabilities', 2, 'linear', Float32Array.of(-1, 1), Float32Array.of(1, 0), 1);

  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: `NN Studio ${producerVersion}`,
      convertedBy: null,
      modelTopology: { class_name: 'Sequential', config: { name: tfjsName(m.name), layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [weightsFile], weights: manifest }],
      userDefinedMetadata: tfjsMetadata(m),
    },
    weights: littleEndian(blobs),
  };
}

/** A TF.js activation name for `name` (leaky ReLU as 'linear' plus a LeakyReLU layer), or an ExportError. */
function tfjsActivation(name: ActivationName, layer: number): string {
  const activation = DENSE_ACTIVATION[name];
  if (!activation) throw new ExportError(`TensorFlow.js has no '${name}' activation (layer ${layer}); export this model as ONNX, JavaScript, Python or JSON`);
  return activation;
}

/** order[q] = the C, H, W index of the q-th value in H, W, C order, for an image [C, H, W]. */
function hwcFromChw([C, H, W]: readonly number[]): number[] {
  const order: number[] = [];
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) order.push((c * H + y) * W + x);
  return order;
}

/** OIHW [OC × C × k × k] → HWIO [k × k × C × OC]. */
function hwioFromOihw(Wt: Float32Array, OC: number, C: number, k: number): Float32Array {
  const out = new Float32Array(Wt.length);
  for (let o = 0; o < OC; o++) for (let c = 0; c < C; c++) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    out[((i * k + j) * C + c) * OC + o] = Wt[((o * C + c) * k + i) * k + j];
  }
  return out;
}

/** A convolutional network's layers, channels_last, appended to `layers` with their weights. */
function netLayers(net: NetLayer[], layers: TfjsLayer[], weight: (name: string, shape: number[], data: Float32Array) => void): void {
  // After a Flatten of [C, H, W]: where each feature of TF.js's H, W, C vector sits in the engine's C, H, W one.
  let order: number[] | null = null;
  const pick = (v: Float32Array) => (order ? Float32Array.from(order, (from) => v[from]) : v);
  const leaky = (activation: ActivationName, n: number) => {
    if (activation === 'leaky-relu') layers.push({ class_name: 'LeakyReLU', config: { name: `leaky_relu_${n}`, trainable: true, alpha: LEAKY_SLOPE } });
  };
  net.forEach((layer, i) => {
    const n = i + 1;
    switch (layer.type) {
      case 'conv2d': {
        const [C] = layer.input, OC = layer.output[0], k = layer.kernel;
        const name = `conv2d_${n}`;
        // The spec's 'same' is TF's SAME (extra padding at the bottom/right): any padding means 'same'.
        const padded = layer.padTop + layer.padBottom + layer.padLeft + layer.padRight > 0;
        layers.push({ class_name: 'Conv2D', config: {
          name, trainable: true, filters: OC, kernel_size: [k, k], strides: [layer.stride, layer.stride], padding: padded ? 'same' : 'valid',
          data_format: 'channels_last', dilation_rate: [1, 1], activation: tfjsActivation(layer.activation, n), use_bias: layer.b !== null,
        } });
        weight(`${name}/kernel`, [k, k, C, OC], hwioFromOihw(layer.W, OC, C, k));
        if (layer.b) weight(`${name}/bias`, [OC], layer.b);
        leaky(layer.activation, n);
        break;
      }
      case 'maxpool2d':
      case 'avgpool2d':
        layers.push({ class_name: layer.type === 'maxpool2d' ? 'MaxPooling2D' : 'AveragePooling2D', config: {
          name: `${layer.type}_${n}`, trainable: true, pool_size: [layer.size, layer.size], strides: [layer.stride, layer.stride], padding: 'valid', data_format: 'channels_last',
        } });
        break;
      case 'globalavgpool':
        layers.push({ class_name: 'GlobalAveragePooling2D', config: { name: `global_average_pooling2d_${n}`, trainable: true, data_format: 'channels_last' } });
        break;
      case 'flatten':
        layers.push({ class_name: 'Flatten', config: { name: `flatten_${n}`, trainable: true, data_format: 'channels_last' } });
        order = hwcFromChw(layer.input);
        break;
      case 'batchnorm': {
        const name = `batch_normalization_${n}`;
        layers.push({ class_name: 'BatchNormalization', config: { name, trainable: true, axis: -1, epsilon: layer.eps, center: true, scale: true, momentum: 0.99 } });
        weight(`${name}/gamma`, [layer.channels], pick(layer.gamma));
        weight(`${name}/beta`, [layer.channels], pick(layer.beta));
        weight(`${name}/moving_mean`, [layer.channels], pick(layer.mean));
        weight(`${name}/moving_variance`, [layer.channels], pick(layer.variance));
        break;
      }
      case 'activation':
        layers.push({ class_name: 'Activation', config: { name: `activation_${n}`, trainable: true, activation: tfjsActivation(layer.activation, n) } });
        leaky(layer.activation, n);
        break;
      case 'dense': {
        const name = `dense_${n}`;
        layers.push({ class_name: 'Dense', config: { name, trainable: true, units: layer.units, activation: tfjsActivation(layer.activation, n), use_bias: layer.b !== null } });
        weight(`${name}/kernel`, [layer.inputs, layer.units], order ? permuteRows(layer.W, layer.units, order) : layer.W);
        if (layer.b) weight(`${name}/bias`, [layer.units], layer.b);
        leaky(layer.activation, n);
        order = null;
        break;
      }
      default:
        throw new ExportError(`no TensorFlow.js layer for ${JSON.stringify((layer satisfies never as { type: string }).type)}`);
    }
  });
}

/** The two Rescaling layers' configs: (x + (−offset)) then (· scale), per input. */
function rescalings(m: ExportModel): [{ scale: number | number[]; offset: number | number[] }, { scale: number | number[]; offset: number }] {
  const state = m.preprocessing;
  if (state.kind === 'image') return [{ scale: 1 / 255, offset: -state.offset }, { scale: state.scale, offset: 0 }];
  const offsets: number[] = [];
  const scales: number[] = [];
  for (const f of state.features) {
    if (f.kind === 'numeric') {
      offsets.push(-f.offset);
      scales.push(f.scale);
    } else {
      for (let k = 0; k < f.categories.length; k++) {
        offsets.push(0);
        scales.push(1);
      }
    }
  }
  return [{ scale: 1, offset: offsets }, { scale: scales, offset: 0 }];
}

function tfjsMetadata(m: ExportModel): Record<string, unknown> {
  const state = m.preprocessing;
  return {
    producer: 'NN Studio',
    task: m.task,
    classes: m.classes,
    target: state.target.column,
    // One name per input of the model, in order (numeric columns raw; "column=category" one-hot inputs).
    ...(state.kind === 'table'
      ? { featureNames: state.featureNames }
      : { image: { width: state.width, height: state.height, channels: state.channels, range: [0, 255] } }),
    inputs: state.kind === 'image' ? describeInputs(m) :
      'one row per example with the model\'s feature names in order: numeric columns as they are (no missing values), ' +
      'each categorical column as its one-hot inputs (1 for the row\'s category, 0 otherwise); ' +
      'for raw rows use predict(tf, model, rows) of the .predict.mjs module exported beside it',
    threshold: m.threshold,
    output: m.task === 'regression' ? `the predicted ${m.outputName}` : 'class probabilities in the order of classes',
    preprocessing: state,
  };
}

/** A Keras-safe name: letters, digits, underscores. */
function tfjsName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^_*/, '') || 'model';
}

function littleEndian(blobs: Float32Array[]): Uint8Array {
  const total = blobs.reduce((n, b) => n + b.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const blob of blobs) {
    for (let i = 0; i < blob.length; i++, at += 4) view.setFloat32(at, blob[i], true);
  }
  return bytes;
}
