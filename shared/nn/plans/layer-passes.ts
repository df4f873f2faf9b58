/**
 * The plain passes: the model's typed layers one after the other (layers/network.ts), on any
 * backend's kernels, and the optimizer's update after the backward pass. The JavaScript backend's
 * plan, and every backend's for what its own plan does not take.
 */
import type { Model } from '../model.js';
import type { Random } from '../random.js';
import { LayerNetwork } from '../layers/network.js';
import { backwardThenUpdate, type Passes, type PlanTraining } from './plan.js';

export class LayerPasses implements Passes {
  readonly description;
  private readonly network: LayerNetwork;
  private readonly grads: Float32Array | null;

  constructor(private readonly model: Model, capacity: number, private readonly training: PlanTraining | null) {
    this.network = new LayerNetwork(model.layout, model.loss, capacity, model.backend);
    this.grads = training?.optimizer ? model.backend.alloc(model.paramCount) : null;
    this.description = { passes: 'typed layers', fusedEpilogues: false, update: training?.optimizer ? 'optimizer' : 'none' };
  }

  forward(x: Float32Array, rows: number, training: boolean, rng: Random | null): Float32Array {
    const m = this.model;
    return this.network.forward(m.backend, m.params, m.state, x, rows, training, rng);
  }

  backward(t: Float32Array, grads: Float32Array, overwrite: boolean): void {
    const m = this.model;
    this.network.backward(m.backend, m.params, grads, m.state, t, !overwrite);
  }

  step(t: Float32Array, lr: number): void {
    if (!this.training || !this.grads) throw new Error('this plan was made for inference');
    backwardThenUpdate(this, this.model, this.training, this.grads, t, lr);
  }
}
