/**
 * The network being designed on the Model page and the training settings of the Train page:
 * drafts a form binds to, turned into a run config when the person presses Train.
 */
import { newLayer, template, modelChoice, modelDraftFromChoice, moveItem, type LayerDraft, type ModelDraft, type TemplateName } from '../lib/layers.js';
import { emptyTrainingDraft, trainingChoice, trainingDraftFromChoice, type TrainingDraft } from '../lib/training.js';
import { buildSpec } from '../lib/network.js';
import { denseLayers, shapeSize } from '../../../shared/nn/spec.js';
import type { RunConfig, RunConfigInput } from '../../../shared/runs/config.js';
import { data } from './data.svelte.js';

class DesignStore {
  model = $state<ModelDraft>(template('deep').model);
  training = $state<TrainingDraft>(emptyTrainingDraft());
  /** The template last applied, for the picker's state. */
  templateName = $state<TemplateName | null>('deep');

  /** The full spec and parameter count on the current data, or why it cannot be built. */
  spec = $derived.by(() => {
    const shape = data.shape;
    if (!shape) return null;
    const parsed = trainingChoice(this.training);
    return buildSpec(modelChoice(this.model), shape, parsed.choice.dropout);
  });

  applyTemplate(name: TemplateName): void {
    const t = template(name);
    this.model = t.model;
    const seed = this.training.seed;
    this.training = { ...trainingDraftFromChoice(t.training, Number(seed) || 1) };
    this.templateName = name;
  }

  addLayer(): void {
    const last = this.model.hidden[this.model.hidden.length - 1];
    this.model.kind = 'mlp';
    this.model.hidden.push(newLayer(last ? { units: last.units, activation: last.activation } : {}));
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

  updateLayer(id: number, patch: Partial<Omit<LayerDraft, 'id'>>): void {
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
        training: choice,
        seed,
      },
    };
  }

  /** Loads a run's settings back into the forms (duplicate a run to tweak one setting). */
  loadRun(config: RunConfig, inputs: number): void {
    this.model = modelDraftFromChoice(config.model, inputs);
    this.training = trainingDraftFromChoice(config.training, config.seed);
    this.templateName = null;
  }

  /** "2-64-32-3 relu" style: the layer sizes of the current design. */
  describe(): string {
    const spec = this.spec;
    if (!spec || !spec.ok) return this.model.kind;
    return [shapeSize(spec.spec.input), ...denseLayers(spec.spec).map((l) => l.units)].join('-');
  }
}

export const design = new DesignStore();
