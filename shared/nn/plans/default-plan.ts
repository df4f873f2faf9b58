/**
 * The plan of a backend that has none of its own (the JavaScript backend; a new backend that so
 * far supplies only kernels): the typed layers one by one, batches gathered in JavaScript.
 */
import type { Model } from '../model.js';
import { JsGatherer } from './gather.js';
import { LayerPasses } from './layer-passes.js';
import { composePlan, type PlanTraining, type StepPlan } from './plan.js';

export function layerByLayerPlan(model: Model, capacity: number, training: PlanTraining | null): StepPlan {
  const gatherer = new JsGatherer(model.backend, training ? capacity : 0, model.inputs, model.outputs);
  return composePlan(model, capacity, new LayerPasses(model, capacity, training), gatherer);
}
