/**
 * The typed network every exporter walks for models beyond a dense stack (convolutions, pooling,
 * batch normalisation): the spec's layers in order with their tensors copied out of the saved
 * weights (parameters then state, shared/nn/layout.ts), dropout left out (it is the identity in
 * evaluation) and the flatten that the spec implies before a dense layer on an image made explicit.
 *
 * Layouts are the engine's: images [C, H, W] (channel-major), conv W[OC × C × k × k] (OIHW),
 * dense W[in × units] reading its input in C, H, W order after a flatten.
 */
import type { ActivationName } from '../nn/activations.js';
import { convGeometry } from '../nn/layers/geometry.js';
import { modelLayout, type LayerSlots } from '../nn/layout.js';
import { poolStride, type ModelSpec } from '../nn/spec.js';

export type ImageShape = [number, number, number];

export type NetLayer =
  | { type: 'conv2d'; input: ImageShape; output: ImageShape; kernel: number; stride: number;
      /** Zero rows above and columns left of the image; bottom/right padding is implied by the output size. */
      padTop: number; padLeft: number; padBottom: number; padRight: number;
      activation: ActivationName; W: Float32Array; b: Float32Array | null }
  | { type: 'maxpool2d' | 'avgpool2d'; input: ImageShape; output: ImageShape; size: number; stride: number }
  | { type: 'globalavgpool'; input: ImageShape }
  | { type: 'flatten'; input: ImageShape }
  | { type: 'batchnorm'; channels: number; image: boolean; eps: number; gamma: Float32Array; beta: Float32Array; mean: Float32Array; variance: Float32Array }
  | { type: 'activation'; activation: ActivationName }
  | { type: 'dense'; inputs: number; units: number; activation: ActivationName; W: Float32Array; b: Float32Array | null };

/** True when the spec is a plain dense stack, on features or on an image's pixels (the exporters' original path). */
export function isDenseStack(spec: ModelSpec): boolean {
  // A dense network on an image reads its pixels flattened (the implied flatten), as the dense
  // exports always have: only the layers decide.
  return spec.layers.every((l) => l.type === 'dense' || l.type === 'dropout');
}

/** The typed export network of a spec and its saved weights (parameters then state). */
export function exportNet(spec: ModelSpec, weights: Float32Array): NetLayer[] {
  const layout = modelLayout(spec);
  const state = weights.subarray(layout.paramCount);
  const tensor = (slots: LayerSlots, name: string, inState = false): Float32Array | null => {
    const slot = (inState ? slots.state : slots.params).find((s) => s.name === name);
    if (!slot) return null;
    return Float32Array.from((inState ? state : weights).subarray(slot.offset, slot.offset + slot.size));
  };
  const net: NetLayer[] = [];
  for (const slots of layout.layers) {
    const layer = slots.spec;
    const input = slots.input as ImageShape;
    const output = slots.output as ImageShape;
    switch (layer.type) {
      case 'conv2d': {
        const g = convGeometry(1, input[0], input[1], input[2], layer.filters, layer.kernel, layer.stride, layer.padding);
        net.push({
          type: 'conv2d', input, output, kernel: layer.kernel, stride: layer.stride,
          padTop: g.padTop, padLeft: g.padLeft,
          // The rows the last window reaches past the image: (OH − 1)·s + k − H − top, never negative.
          padBottom: Math.max((g.OH - 1) * g.stride + g.k - g.H - g.padTop, 0),
          padRight: Math.max((g.OW - 1) * g.stride + g.k - g.W - g.padLeft, 0),
          activation: layer.activation, W: tensor(slots, 'W')!, b: tensor(slots, 'b'),
        });
        break;
      }
      case 'maxpool2d':
      case 'avgpool2d':
        net.push({ type: layer.type, input, output, size: layer.size, stride: poolStride(layer) });
        break;
      case 'globalavgpool':
        net.push({ type: 'globalavgpool', input });
        break;
      case 'flatten':
        net.push({ type: 'flatten', input });
        break;
      case 'dropout':
        break;
      case 'batchnorm':
        net.push({
          type: 'batchnorm', channels: input[0], image: input.length === 3, eps: layer.eps,
          gamma: tensor(slots, 'gamma')!, beta: tensor(slots, 'beta')!, mean: tensor(slots, 'mean', true)!, variance: tensor(slots, 'var', true)!,
        });
        break;
      case 'activation':
        net.push({ type: 'activation', activation: layer.activation });
        break;
      case 'dense':
        if (slots.input.length === 3 && net.at(-1)?.type !== 'flatten') net.push({ type: 'flatten', input });
        net.push({ type: 'dense', inputs: slots.params[0].shape[0], units: layer.units, activation: layer.activation, W: tensor(slots, 'W')!, b: tensor(slots, 'b') });
        break;
      default:
        throw new Error(`no export for layer type ${JSON.stringify((layer satisfies never as { type: string }).type)}`);
    }
  }
  return net;
}
