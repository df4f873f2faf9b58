/**
 * The perceptron learning rule (Rosenblatt): for a step unit y = step(x·w + b) and target t,
 *   w ← w + η·(t − y)·x,   b ← b + η·(t − y)
 * It changes weights only on mistakes and converges when the classes are linearly separable
 * (AND, OR) — and never settles on XOR, which no single line separates: the lesson that motivates
 * hidden layers. Over a batch of rows the updates are summed (batch size 1 is the classic rule).
 */
import type { Model } from './model.js';

export class PerceptronRule {
  /** η·(t − y) per row and unit, for batches of up to `capacity` rows. */
  private readonly err: Float32Array;

  constructor(private readonly model: Model, capacity: number) {
    this.err = model.backend.alloc(capacity * model.layers[0].units);
  }

  /**
   * One update from x[rows × inputs], the outputs y the model's forward pass just gave for it, and
   * 0/1 targets t[rows × units]. Returns how many outputs were wrong.
   */
  update(x: Float32Array, y: Float32Array, t: Float32Array, rows: number, lr: number): number {
    const model = this.model, l = model.layers[0], err = this.err;
    let mistakes = 0;
    // err = η·(t − y)
    for (let i = 0, n = rows * l.units; i < n; i++) {
      const e = t[i] - y[i];
      if (e !== 0) mistakes++;
      err[i] = lr * e;
    }
    if (mistakes === 0) return 0;
    // W[inputs×units] += xᵀ·err;  b += Σ_rows err  (the backend's gradient kernels, accumulating)
    model.backend.matmulTransA(model.views.W[0], x, err, rows, l.inputs, l.units, true);
    const b = model.views.b[0];
    if (b) model.backend.sumRows(b, err, rows, l.units, true);
    return mistakes;
  }
}
