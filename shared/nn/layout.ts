/**
 * Where every layer's tensors live in the model's two flat buffers (llm.c's one allocation):
 *   parameters  layer by layer in spec order: dense W[in × units] (row-major, z = x·W + b) then
 *               b[units]; conv2d W[OC × C × k × k] (OIHW, as PyTorch and ONNX) then b[OC];
 *               batchnorm γ[C] then β[C]. Pooling, flatten, dropout and activations have none.
 *   state       non-trainable values saved with the weights: batchnorm's running mean[C] then
 *               running variance[C], layer by layer. Saved weights = parameters then state.
 * Gradients and optimizer moments use the parameter layout, so any buffer of `paramCount` floats
 * is viewed per layer with these offsets.
 */
import { inferShapes, shapeSize, type LayerSpec, type ModelSpec, type Shape } from './spec.js';

/** One tensor of a layer: its name, offset in its flat buffer and shape. */
export interface TensorSlot {
  name: 'W' | 'b' | 'gamma' | 'beta' | 'mean' | 'var';
  offset: number;
  shape: number[];
  size: number;
}

/** A spec layer with its input and output shapes and its tensors. */
export interface LayerSlots {
  /** 0-based place in the spec's layers. */
  index: number;
  spec: LayerSpec;
  input: Shape;
  output: Shape;
  /** Trainable tensors, in the parameter buffer. */
  params: TensorSlot[];
  /** Non-trainable state (batchnorm's running statistics), in the state buffer. */
  state: TensorSlot[];
}

export interface ModelLayout {
  layers: LayerSlots[];
  paramCount: number;
  stateCount: number;
}

/** The layout of a spec's parameters and state (see the module comment). */
export function modelLayout(spec: ModelSpec): ModelLayout {
  const shapes = inferShapes(spec);
  let paramAt = 0, stateAt = 0;
  const slot = (name: TensorSlot['name'], shape: number[], inState = false): TensorSlot => {
    const size = shapeSize(shape);
    const offset = inState ? stateAt : paramAt;
    if (inState) stateAt += size; else paramAt += size;
    return { name, offset, shape, size };
  };
  const layers = spec.layers.map((layer, index): LayerSlots => {
    const input = index === 0 ? spec.input : shapes[index - 1];
    const params: TensorSlot[] = [], state: TensorSlot[] = [];
    switch (layer.type) {
      case 'dense':
        params.push(slot('W', [shapeSize(input), layer.units]));
        if (layer.bias) params.push(slot('b', [layer.units]));
        break;
      case 'conv2d':
        params.push(slot('W', [layer.filters, input[0], layer.kernel, layer.kernel]));
        if (layer.bias) params.push(slot('b', [layer.filters]));
        break;
      case 'batchnorm': {
        // Per feature after a vector, per channel after an image.
        const channels = input[0];
        params.push(slot('gamma', [channels]), slot('beta', [channels]));
        state.push(slot('mean', [channels], true), slot('var', [channels], true));
        break;
      }
      default:
        break;
    }
    return { index, spec: layer, input, output: shapes[index], params, state };
  });
  return { layers, paramCount: paramAt, stateCount: stateAt };
}
