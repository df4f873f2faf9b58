import { describe, expect, it } from 'vitest';
import { layoutDiagram, shownIndices } from '../../renderer/src/lib/diagram.js';

describe('the network diagram', () => {
  it('draws a wide layer collapsed: its first neurons, a gap, and the last', () => {
    expect(shownIndices(5, 8)).toEqual([0, 1, 2, 3, 4]);
    expect(shownIndices(784, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 783]);
    const d = layoutDiagram([784, 50, 10], 600, 400, { maxShown: 8 });
    expect(d.layers.map((l) => l.collapsed)).toEqual([true, true, true]);
    expect(d.neurons).toHaveLength(24);
    expect(d.links).toHaveLength(8 * 8 + 8 * 8);
  });

  it('weighs links relative to the largest weight between the same two layers', () => {
    const weights = [[[1, -4]], [[0.5], [-0.25]]]; // layer l: [from][to]
    const d = layoutDiagram([1, 2, 1], 300, 200, { weightAt: (l, i, j) => weights[l][i][j] });
    const strengths = d.links.map((k) => [k.from.layer, k.weight, k.strength]);
    expect(strengths).toEqual([[0, 1, 0.25], [0, -4, 1], [1, 0.5, 1], [1, -0.25, 0.5]]);
  });

  it('places layers left to right with the inputs first', () => {
    const d = layoutDiagram([2, 3, 1], 300, 200);
    expect(d.layers[0].x).toBeLessThan(d.layers[1].x);
    expect(d.layers[1].x).toBeLessThan(d.layers[2].x);
  });
});
