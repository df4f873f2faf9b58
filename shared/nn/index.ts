/**
 * NN Studio's engine: neural networks from scratch, in TypeScript, with no ML dependency. Runs
 * unchanged in the worker, the CLI, the tests and the renderer. See each module for the maths.
 *
 *   const model = Model.create({ inputs: 2, layers: [{ units: 4, activation: 'tanh' },
 *     { units: 1, activation: 'sigmoid' }], loss: 'binary-crossentropy', task: 'classification' }, { seed: 1 });
 *   const trainer = new Trainer(model, { x, y, rows }, { optimizer: { name: 'adam', lr: 0.01 }, epochs: 100 });
 *   await trainer.train({ onEpoch: (e) => console.log(e.epoch, e.loss) });
 *   const probabilities = model.predict(x, rows);
 */
export * from './activations.js';
export { JsBackend, jsBackend } from './backend-js.js';
export type { Backend } from './backend.js';
export * from './bench.js';
export * from './dataset.js';
export * from './dense.js';
export * from './errors.js';
export * from './evaluate.js';
export * from './gradcheck.js';
export * from './init.js';
export * from './inspect.js';
export * from './losses.js';
export * from './metrics.js';
export * from './model.js';
export * from './optimizers.js';
export * from './perceptron.js';
export { planSummary, type Batch, type BatchSource, type PlanDescription, type PlanTraining, type StepPlan } from './plans/plan.js';
export * from './layout.js';
export * from './reference.js';
export { Random } from './random.js';
export * from './schedule.js';
export * from './serialize.js';
export * from './spec.js';
export * from './trainer.js';
