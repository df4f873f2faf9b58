/** The pure parts of the CNN views: heatmap colours, the feature-map block figure, saliency planes, top-3. */
import { describe, expect, it } from 'vitest';
import { colourAt, planeRange, planeToRgba } from '../../renderer/src/lib/heatmap.js';
import { layoutCnn } from '../../renderer/src/lib/cnn-diagram.js';
import { saliencyPlane } from '../../renderer/src/lib/saliency.js';
import { topClasses } from '../../renderer/src/lib/top-classes.js';
import { parseModelSpec } from '../../shared/nn/spec.js';

describe('heatmaps', () => {
  it('a diverging plane is symmetric around zero, which is drawn white', () => {
    const values = [-0.5, 0, 2];
    expect(planeRange(values, 0, 3, 'diverging')).toEqual({ lo: -2, hi: 2 });
    const rgba = planeToRgba(values, 0, 1, 3, 'diverging');
    expect(Array.from(rgba.subarray(4, 8))).toEqual([255, 255, 255, 255]);
    expect(Array.from(rgba.subarray(8, 11))).toEqual(colourAt(1, 'diverging'));
  });

  it('a sequential plane spans its own minimum to maximum, and a flat plane does not divide by zero', () => {
    expect(planeRange([3, 5, 4], 0, 3, 'sequential')).toEqual({ lo: 3, hi: 5 });
    const flat = planeToRgba([7, 7], 0, 1, 2, 'sequential');
    expect(Array.from(flat.subarray(0, 3))).toEqual(colourAt(0, 'sequential'));
  });
});

describe('the feature-map figure', () => {
  const spec = parseModelSpec({
    version: 2, input: [1, 28, 28], task: 'classification', loss: 'categorical-crossentropy',
    layers: [
      { type: 'conv2d', filters: 32, kernel: 3, activation: 'relu' }, { type: 'maxpool2d', size: 2 }, { type: 'dropout', rate: 0.25 },
      { type: 'flatten' }, { type: 'dense', units: 128, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' },
    ],
  });
  it('draws a block per layer (none for dropout), maps shrinking with their side, depth capped at 8', () => {
    const { blocks } = layoutCnn(spec, 260);
    expect(blocks.map((b) => b.layer)).toEqual([-1, 0, 1, 3, 4, 5]);
    expect(blocks.map((b) => b.depth)).toEqual([1, 8, 8, 1, 1, 1]);
    expect(blocks[1].h).toBeLessThan(blocks[0].h);
    expect(blocks[2].h).toBeLessThan(blocks[1].h);
    // vectors: the longer one is the taller bar
    expect(blocks[3].h).toBeGreaterThan(blocks[4].h);
    expect(blocks[4].h).toBeGreaterThan(blocks[5].h);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i].x).toBeGreaterThan(blocks[i - 1].x + blocks[i - 1].w);
  });
});

describe('saliency planes and top classes', () => {
  it('keeps the largest |gradient| over the channels of each pixel', () => {
    // 2 channels of 1×2
    expect(Array.from(saliencyPlane([0.1, -3, -0.5, 2], 2, 1, 2))).toEqual([0.5, 3]);
  });
  it('lists the three most probable classes, most probable first', () => {
    expect(topClasses(['a', 'b', 'c', 'd'], [0.1, 0.5, 0.1, 0.3])).toEqual([
      { label: 'b', index: 1, p: 0.5 }, { label: 'd', index: 3, p: 0.3 }, { label: 'a', index: 0, p: 0.1 },
    ]);
  });
});
