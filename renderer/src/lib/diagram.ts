/**
 * Layout of the network diagram: a column of neurons per layer, links between consecutive
 * layers. Layers wider than `maxShown` are drawn collapsed — their first few neurons, a gap with
 * the count, and the last one — so a 784-input network stays readable. With weights, each link
 * carries its weight: the view colours it by sign and sets its width by |w| relative to the largest.
 */

export interface DiagramNeuron {
  layer: number;
  /** Index of the neuron in its layer. */
  index: number;
  x: number;
  y: number;
}

export interface DiagramLink {
  from: DiagramNeuron;
  to: DiagramNeuron;
  /** The weight, or null before training. */
  weight: number | null;
  /** |w| / max |w| over the drawn links between the same two layers, in [0, 1] (0.35 without weights). */
  strength: number;
}

export interface DiagramLayer {
  units: number;
  x: number;
  /** True when some neurons are hidden behind a gap. */
  collapsed: boolean;
  /** y of the gap's "⋮" marker (collapsed layers only). */
  gapY: number | null;
}

export interface Diagram {
  layers: DiagramLayer[];
  neurons: DiagramNeuron[];
  links: DiagramLink[];
}

/** Which neuron indices a layer of `units` shows: all, or the first maxShown−1 and the last. */
export function shownIndices(units: number, maxShown: number): number[] {
  if (units <= maxShown) return Array.from({ length: units }, (_, i) => i);
  return [...Array.from({ length: maxShown - 1 }, (_, i) => i), units - 1];
}

/**
 * Positions for layers of the given sizes (inputs first) in a width × height box. `weightAt(l, i, j)`
 * gives the weight from neuron i of layer l to neuron j of layer l+1, or null.
 */
export function layoutDiagram(
  sizes: readonly number[],
  width: number,
  height: number,
  options: { maxShown?: number; weightAt?: (layer: number, from: number, to: number) => number | null } = {},
): Diagram {
  const maxShown = options.maxShown ?? 8;
  const margin = 24;
  // Wider at the sides: each layer's label is centred under it.
  const side = 44;
  const step = sizes.length > 1 ? (width - 2 * side) / (sizes.length - 1) : 0;
  const layers: DiagramLayer[] = [];
  const columns: DiagramNeuron[][] = [];
  sizes.forEach((units, l) => {
    const shown = shownIndices(units, maxShown);
    const collapsed = shown.length < units;
    const slots = shown.length + (collapsed ? 1 : 0);
    const gap = (height - 2 * margin) / Math.max(1, slots);
    const x = sizes.length > 1 ? side + l * step : width / 2;
    const top = margin + gap / 2;
    const column = shown.map((index, k) => ({ layer: l, index, x, y: top + (collapsed && k === shown.length - 1 ? k + 1 : k) * gap }));
    columns.push(column);
    layers.push({ units, x, collapsed, gapY: collapsed ? top + (shown.length - 1) * gap : null });
  });
  const links: DiagramLink[] = [];
  for (let l = 0; l + 1 < columns.length; l++) {
    for (const from of columns[l]) {
      for (const to of columns[l + 1]) links.push({ from, to, weight: options.weightAt?.(l, from.index, to.index) ?? null, strength: 0.35 });
    }
  }
  // Strength relative to the largest weight between the same two layers: layers differ in scale.
  const max = new Array<number>(sizes.length).fill(0);
  for (const link of links) if (link.weight !== null) max[link.from.layer] = Math.max(max[link.from.layer], Math.abs(link.weight));
  for (const link of links) {
    const m = max[link.from.layer];
    if (link.weight !== null && m > 0) link.strength = Math.abs(link.weight) / m;
  }
  return { layers, neurons: columns.flat(), links };
}
