/**
 * Looking inside a convolutional network the way CNN Explainer does, with the real engine (the
 * model's float32 layers and backend, no dropout, weights unchanged):
 *   featureMaps       every layer's output for one image (each channel a heatmap)
 *   convFilters       a convolution's kernels W[OC×C×k×k] (and their gradients after a step)
 *   convStep          one output value of a convolution as arithmetic: the receptive field on the
 *                     input, the kernel, the element-wise products and their sum (+ bias, activation)
 *   poolStep          one max-pool output: its window, the winner (argmax), and where backpropagation
 *                     routes the output's gradient (all of it to the winner, nothing to the others)
 *   saliency          ∂(class score)/∂(input pixels): the score before softmax, Simonyan et al. 2013
 * Shapes are NCHW as everywhere in the engine: a row of x is an image channel by channel.
 */
import { activation as activationByName } from './activations.js';
import { DataError } from './errors.js';
import type { LayerSlots } from './layout.js';
import type { Model } from './model.js';
import { convAxis } from './layers/geometry.js';
import { LayerNetwork } from './layers/network.js';
import { formatShape, poolStride, shapeSize, type Conv2dLayerSpec, type LayerSpec, type ModelSpec, type PoolLayerSpec, type Shape } from './spec.js';

/** One layer's output for the inspected image. */
export interface FeatureMap {
  /** 0-based index in the spec's layers. */
  layer: number;
  spec: LayerSpec;
  shape: Shape;
  /** [shapeSize(shape)] values, C,H,W order for images. */
  values: Float32Array;
}

function checkImage(model: Model, x: ArrayLike<number>): void {
  const n = shapeSize(model.spec.input);
  if (x.length !== n) throw new DataError(`the image has ${x.length} values; the model's input ${formatShape(model.spec.input)} needs ${n}`);
}

/**
 * The model's typed layers run one after the other (the plain passes, every layer's output kept)
 * after a forward pass of one image in evaluation mode.
 */
function networkAfterForward(model: Model, x: ArrayLike<number>): LayerNetwork {
  const network = new LayerNetwork(model.layout, model.loss, 1, model.backend);
  network.forward(model.backend, model.params, model.state, Float32Array.from(x), 1, false, null);
  return network;
}

/** Every layer's output for one image x [C·H·W], input side first. */
export function featureMaps(model: Model, x: ArrayLike<number>): FeatureMap[] {
  checkImage(model, x);
  const network = networkAfterForward(model, x);
  return model.layout.layers.map((slots) => ({
    layer: slots.index, spec: slots.spec, shape: slots.output, values: Float32Array.from(network.layerOutput(slots.index)),
  }));
}

/** A convolution layer's kernels: W [OC×C×k×k] (OIHW) and b [OC] (null without bias), copied from `flat` (params or gradients). */
export function convFilters(model: Model, layer: number, flat: Float32Array = model.params): { shape: [number, number, number, number]; W: Float32Array; b: Float32Array | null } {
  const slots = convSlots(model, layer);
  const [W, b] = slots.params;
  return {
    shape: W.shape as [number, number, number, number],
    W: flat.slice(W.offset, W.offset + W.size),
    b: b ? flat.slice(b.offset, b.offset + b.size) : null,
  };
}

/** ∂L/∂params of one step on x[rows × inputs], t[rows × outputs] (evaluation mode: no dropout), in the parameter layout. */
export function stepGradients(model: Model, x: Float32Array, t: Float32Array, rows: number): Float32Array {
  const network = new LayerNetwork(model.layout, model.loss, rows, model.backend);
  const grads = model.backend.alloc(model.paramCount);
  network.forward(model.backend, model.params, model.state, x, rows, false, null);
  network.backward(model.backend, model.params, grads, model.state, t, false);
  return Float32Array.from(grads);
}

function convSlots(model: Model, layer: number): LayerSlots & { spec: Conv2dLayerSpec } {
  const slots = model.layout.layers[layer];
  if (!slots || slots.spec.type !== 'conv2d') throw new RangeError(`layer ${layer + 1} is not a convolution`);
  return slots as LayerSlots & { spec: Conv2dLayerSpec };
}

/** One output value of a convolution, written out (see `convStep`). */
export interface ConvStep {
  /** Output channel (filter), row and column. */
  filter: number;
  y: number;
  x: number;
  /** The receptive field's top-left corner in the input (may be negative with `same` padding). */
  top: number;
  left: number;
  k: number;
  /** Per input channel: the k×k window of the input (0 outside it: padding), the kernel, and their products. */
  channels: { input: number[][]; kernel: number[][]; products: number[][] }[];
  /** Σ products over every channel, then + bias = z, then the activation: a = f(z). */
  sum: number;
  bias: number;
  z: number;
  a: number;
}

/**
 * Output (filter, y, x) of convolution `layer` on its input `inp` [C×H×W] (the previous layer's
 * feature maps, or the image for the first layer): z = b + Σ_c Σ_i Σ_j inp[c, top+i, left+j]·W[filter, c, i, j].
 */
export function convStep(model: Model, layer: number, inp: ArrayLike<number>, filter: number, y: number, x: number): ConvStep {
  const slots = convSlots(model, layer);
  const s = slots.spec;
  const [C, H, Wd] = slots.input as [number, number, number];
  const [OC, OH, OW] = slots.output as [number, number, number];
  if (inp.length !== C * H * Wd) throw new DataError(`the layer's input has ${inp.length} values, expected ${formatShape(slots.input)}`);
  if (filter < 0 || filter >= OC || y < 0 || y >= OH || x < 0 || x >= OW) throw new RangeError(`no output (${filter}, ${y}, ${x}) in ${formatShape(slots.output)}`);
  const { W, b } = convFilters(model, layer);
  const k = s.kernel;
  const top = y * s.stride - convAxis(H, k, s.stride, s.padding).padBefore;
  const left = x * s.stride - convAxis(Wd, k, s.stride, s.padding).padBefore;
  let sum = 0;
  const channels = [];
  for (let c = 0; c < C; c++) {
    const input: number[][] = [], kernel: number[][] = [], products: number[][] = [];
    for (let i = 0; i < k; i++) {
      const ir: number[] = [], kr: number[] = [], pr: number[] = [];
      for (let j = 0; j < k; j++) {
        const yy = top + i, xx = left + j;
        const v = yy >= 0 && yy < H && xx >= 0 && xx < Wd ? inp[(c * H + yy) * Wd + xx] : 0;
        const w = W[((filter * C + c) * k + i) * k + j];
        ir.push(v);
        kr.push(w);
        pr.push(v * w);
        sum += v * w;
      }
      input.push(ir);
      kernel.push(kr);
      products.push(pr);
    }
    channels.push({ input, kernel, products });
  }
  const bias = b ? b[filter] : 0;
  const z = sum + bias;
  const out = new Float64Array(1);
  activationByName(s.activation).forward(out, Float64Array.of(z), 1, 1);
  return { filter, y, x, top, left, k, channels, sum, bias, z, a: out[0] };
}

/** One max-pool output (see `poolStep`). */
export interface PoolStep {
  channel: number;
  y: number;
  x: number;
  top: number;
  left: number;
  size: number;
  window: number[][];
  /** The winner's place in the window (the first maximum wins a tie, as the engine's kernel). */
  argmax: { i: number; j: number };
  max: number;
  /** ∂L/∂window given ∂L/∂out = dout: dout at the winner, 0 elsewhere. */
  routed: number[][];
}

/** Output (channel, y, x) of max-pool `layer` on its input [C×H×W], with where a gradient `dout` flows back. */
export function poolStep(model: Model, layer: number, inp: ArrayLike<number>, channel: number, y: number, x: number, dout = 1): PoolStep {
  const slots = model.layout.layers[layer];
  if (!slots || slots.spec.type !== 'maxpool2d') throw new RangeError(`layer ${layer + 1} is not a max pool`);
  const s = slots.spec as PoolLayerSpec;
  const [C, H, W] = slots.input as [number, number, number];
  const [, OH, OW] = slots.output as [number, number, number];
  if (channel < 0 || channel >= C || y < 0 || y >= OH || x < 0 || x >= OW) throw new RangeError(`no output (${channel}, ${y}, ${x}) in ${formatShape(slots.output)}`);
  const stride = poolStride(s), size = s.size;
  const top = y * stride, left = x * stride;
  const window: number[][] = [];
  let best = -Infinity, argmax = { i: 0, j: 0 };
  for (let i = 0; i < size; i++) {
    const row: number[] = [];
    for (let j = 0; j < size; j++) {
      const v = inp[(channel * H + top + i) * W + left + j];
      row.push(v);
      if (v > best) { best = v; argmax = { i, j }; }
    }
    window.push(row);
  }
  const routed = window.map((row, i) => row.map((_, j) => (i === argmax.i && j === argmax.j ? dout : 0)));
  return { channel, y, x, top, left, size, window, argmax, max: best, routed };
}

/**
 * Saliency of one image x [C·H·W] for class `cls`: ∂z_cls/∂x, the gradient of the class's score
 * before the output activation (softmax) with respect to every input value.
 */
export function saliency(model: Model, x: ArrayLike<number>, cls: number): Float32Array {
  checkImage(model, x);
  if (cls < 0 || cls >= model.outputs) throw new RangeError(`class ${cls} of ${model.outputs} outputs`);
  const network = networkAfterForward(model, x);
  const dy = new Float32Array(model.outputs);
  dy[cls] = 1;
  const scratch = model.backend.alloc(model.paramCount);
  return Float32Array.from(network.inputGradient(model.backend, model.params, model.state, dy, true, scratch));
}

/** True for a network on images with layers beyond dense ones (what the CNN views show; dense stacks keep the matrix views). */
export function isConvolutional(spec: Pick<ModelSpec, 'input' | 'layers'>): boolean {
  return spec.input.length === 3 && spec.layers.some((l) => l.type !== 'dense' && l.type !== 'dropout' && l.type !== 'flatten');
}
