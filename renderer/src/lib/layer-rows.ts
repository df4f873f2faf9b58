/**
 * What each row of the Model page's layer list shows before training: the output shape of the
 * draft (32×26×26, 128) and its parameter count, or — on the one row whose input it cannot take —
 * the engine's own message ("layer 4 (maxpool 2): its input 64×1×1 is smaller than the pool 2×2").
 * Shapes come from the engine's `inferShapes` on the very layers the worker will build.
 */
import { SpecError } from '../../../shared/nn/errors.js';
import { modelLayout } from '../../../shared/nn/layout.js';
import { ModelSpecV2Schema, inferShapes, type Shape } from '../../../shared/nn/spec.js';
import { modelSpecFor, type DataShape } from '../../../shared/runs/config.js';
import { layersOfDraft, type ModelDraft } from './layers.js';

export interface LayerRowInfo {
  /** The draft's output shape (after its own dropout, which changes nothing), or null when unknown. */
  shape: Shape | null;
  /** Trainable parameters of the draft's layers, or null when the shapes are unknown. */
  params: number | null;
  /** The engine's message when this row is where the shapes fail. */
  error: string | null;
}

export interface DraftRows {
  rows: LayerRowInfo[];
  /** The output layer's shape and parameters (the data decides its size). */
  output: LayerRowInfo;
}

const unknown = (): LayerRowInfo => ({ shape: null, params: null, error: null });

/** Every hidden row's shape and parameters for data of `shape`; rows after a failing one stay unknown. */
export function draftRows(draft: ModelDraft, shape: DataShape): DraftRows {
  const owner: number[] = [];
  const hidden = draft.hidden.flatMap((d, i) => layersOfDraft(d).map((l) => (owner.push(i), l)));
  const rows = draft.hidden.map(unknown);
  const output = unknown();
  if (draft.kind === 'perceptron') return { rows, output };
  const spec = modelSpecFor({ kind: 'mlp', hidden, outputActivation: draft.outputActivation === 'auto' ? undefined : draft.outputActivation }, shape);
  const parsed = ModelSpecV2Schema.safeParse(spec);
  if (!parsed.success) return { rows, output };
  let shapes: Shape[];
  try {
    shapes = inferShapes(parsed.data);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    const at = Number(/^layers\.(\d+)$/.exec(e.field)?.[1] ?? NaN);
    const failed = at < owner.length ? rows[owner[at]] : at === owner.length ? output : null;
    // The rows before the failing one still have shapes: infer them on the spec cut there.
    if (Number.isInteger(at) && at > 0) {
      const before = inferShapes({ input: parsed.data.input, layers: parsed.data.layers.slice(0, at) });
      before.forEach((s, k) => { rows[owner[k]].shape = s; });
    }
    if (failed) failed.error = e.message.replace(/^model spec, layers\.\d+: /, '');
    return { rows, output };
  }
  const layout = modelLayout(parsed.data);
  layout.layers.forEach((slots, k) => {
    const row = k < owner.length ? rows[owner[k]] : output;
    row.shape = shapes[k];
    row.params = (row.params ?? 0) + slots.params.reduce((n, p) => n + p.size, 0);
  });
  return { rows, output };
}
