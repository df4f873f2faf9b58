/**
 * The network being designed on the Model page and the training settings of the Train page:
 * drafts a form binds to, turned into a run config when the person presses Train.
 */
import { newLayer, newLayerOfType, template, modelChoice, modelDraftFromChoice, moveItem, type LayerDraft, type LayerDraftBody, type LayerDraftType, type ModelDraft, type TemplateName } from '../lib/layers.js';
import { draftRows } from '../lib/layer-rows.js';
import { emptyTrainingDraft, trainingChoice, trainingDraftFromChoice, type TrainingDraft } from '../lib/training.js';
import { buildSpec } from '../lib/network.js';
import { denseLayers, describeLayer, shapeSize } from '../../../shared/nn/spec.js';
import type { RunConfig, RunConfigInput } from '../../../shared/runs/config.js';
import { data } from './data.svelte.js';
import { augments } from '../../../shared/nn/augment.js';

class DesignStore {
  model = $state<ModelDraft>(template('deep').model);
  training = $state<TrainingDraft>(emptyTrainingDraft());
  /** Image data: random shifts and flips of training images (the Data page's augmentation options). */
  augment = $state({ shift: 0, flip: false });
  /** The template last applied, for the picker's state. */
  templateName = $state<TemplateName | null>('deep');

  /** The full spec and parameter count on the current data, or why it cannot be built. */
  spec = $derived.by(() => {
    const shape = data.shape;
    if (!shape) return null;
    const parsed = trainingChoice(this.training);
    return buildSpec(modelChoice(this.model), shape, parsed.choice.dropout);
  });

  /** Each hidden row's output shape and parameters, or the engine's message on the row that cannot work. */
  rows = $derived.by(() => (data.shape ? draftRows(this.model, data.shape) : null));

  applyTemplate(name: TemplateName): void {
    const t = template(name);
    this.model = t.model;
    const seed = this.training.seed;
    this.training = { ...trainingDraftFromChoice(t.training, Number(seed) || 1) };
    this.templateName = name;
  }

  /** Appends a layer: a dense one like the last dense layer, or a fresh one of the palette's `type`. */
  addLayer(type: LayerDraftType = 'dense'): void {
    const last = this.model.hidden.findLast((l) => l.type === 'dense');
    this.model.kind = 'mlp';
    this.model.hidden.push(type === 'dense' && last?.type === 'dense' ? newLayer({ units: last.units, activation: last.activation }) : newLayerOfType(type));
    this.templateName = null;
  }

  removeLayer(id: number): void {
    this.model.hidden = this.model.hidden.filter((l) => l.id !== id);
    this.templateName = null;
  }

  moveLayer(id: number, delta: number): void {
    const from = this.model.hidden.findIndex((l) => l.id === id);
    if (from >= 0) this.model.hidden = moveItem(this.model.hidden, from, delta);
  }

  /** Moves a layer to `index` (drag and drop). */
  moveLayerTo(id: number, index: number): void {
    const from = this.model.hidden.findIndex((l) => l.id === id);
    if (from >= 0) this.model.hidden = moveItem(this.model.hidden, from, index - from);
  }

  updateLayer(id: number, patch: Partial<LayerDraftBody>): void {
    const layer = this.model.hidden.find((l) => l.id === id);
    if (layer) Object.assign(layer, patch);
    this.templateName = null;
  }

  /** The run config for the current dataset, or the first form problem. */
  runConfig(): { config: RunConfigInput } | { problem: string } {
    if (!data.source) return { problem: 'no-data' };
    const { choice, seed, problems } = trainingChoice(this.training);
    if (problems.length > 0) return { problem: problems[0].field };
    return {
      config: {
        name: `${data.name} · ${this.describe()}`,
        dataset: { source: data.source, options: data.options },
        model: modelChoice(this.model),
        training: data.shape?.input?.length === 3 && augments(this.augment) ? { ...choice, augment: { ...this.augment } } : choice,
        seed,
      },
    };
  }

  /** Loads a run's settings back into the forms (duplicate a run to tweak one setting). */
  loadRun(config: RunConfig, inputs: number): void {
    this.model = modelDraftFromChoice(config.model, inputs);
    this.training = trainingDraftFromChoice(config.training, config.seed);
    this.augment = { shift: config.training.augment?.shift ?? 0, flip: config.training.augment?.flip ?? false };
    this.templateName = null;
  }

  /** "2-64-32-3" for dense networks, "conv2d 32@3×3 · maxpool 2 · … · dense 10" otherwise: the current design. */
  describe(): string {
    const spec = this.spec;
    if (!spec || !spec.ok) return this.model.kind;
    const layers = spec.spec.layers.filter((l) => l.type !== 'dropout' && l.type !== 'flatten');
    if (layers.every((l) => l.type === 'dense')) return [shapeSize(spec.spec.input), ...denseLayers(spec.spec).map((l) => l.units)].join('-');
    return layers.map(describeLayer).join(' · ');
  }
}

export const design = new DesignStore();
