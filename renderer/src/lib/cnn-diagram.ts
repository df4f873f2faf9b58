/**
 * Layout of the classic LeNet figure: each layer's output as a block — a stack of feature maps
 * whose side follows the map's height and whose depth shows the channel count — and each vector
 * (flatten, dense) as a bar whose height follows its size on a log scale. Dropout draws nothing.
 */
import { describeLayer, formatShape, type ModelSpec, type Shape } from '../../../shared/nn/spec.js';
import { inferShapes } from '../../../shared/nn/spec.js';

export interface CnnBlock {
  /** Spec layer index, −1 for the input. */
  layer: number;
  title: string;
  shape: Shape;
  x: number;
  /** Drawn size of one feature map (image) or of the bar (vector). */
  w: number;
  h: number;
  /** Feature maps drawn one behind the other (1 for a vector). */
  depth: number;
}

/** Largest number of stacked maps drawn per block (a 64-channel block shows 8). */
const MAX_DEPTH = 8;
const DEPTH_STEP = 3;
const LABEL_WIDTH = 64;

export function layoutCnn(spec: ModelSpec, height: number): { blocks: CnnBlock[]; width: number } {
  const shapes = inferShapes(spec);
  const stages: { layer: number; title: string; shape: Shape }[] = [{ layer: -1, title: 'input', shape: spec.input }];
  spec.layers.forEach((l, i) => { if (l.type !== 'dropout') stages.push({ layer: i, title: describeLayer(l), shape: shapes[i] }); });
  const maxSide = Math.max(...stages.map((s) => (s.shape.length === 3 ? s.shape[1] : 0)), 1);
  const maxUnits = Math.max(...stages.map((s) => (s.shape.length === 1 ? s.shape[0] : 0)), 2);
  const room = height - 50;
  let x = 12;
  const blocks = stages.map((s): CnnBlock => {
    let block: CnnBlock;
    if (s.shape.length === 3) {
      const [c, h, w] = s.shape;
      const side = 10 + (room * 0.5 - 10) * Math.sqrt(h / maxSide);
      const depth = Math.min(MAX_DEPTH, c);
      block = { ...s, x, w: (side * w) / h, h: side, depth };
    } else {
      const bar = 12 + (room - 12) * (Math.log(s.shape[0] + 1) / Math.log(maxUnits + 1));
      block = { ...s, x, w: 10, h: bar, depth: 1 };
    }
    // Room for the block and for its two lines of label under it; the block centred in it.
    const drawn = block.w + (block.depth - 1) * DEPTH_STEP;
    const slot = Math.max(drawn, LABEL_WIDTH);
    block.x = x + (slot - drawn) / 2;
    x += slot + 14;
    return block;
  });
  return { blocks, width: x };
}

export const depthStep = DEPTH_STEP;
export { formatShape };
