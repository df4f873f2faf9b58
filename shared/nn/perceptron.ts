/**
 * The perceptron learning rule (Rosenblatt): for a step unit y = step(x·w + b) and target t,
 *   w ← w + η·(t − y)·x,   b ← b + η·(t − y)
 * It changes weights only on mistakes and converges when the classes are linearly separable
 * (AND, OR) — and never settles on XOR, which no single line separates: the lesson that motivates
 * hidden layers. Over a batch of rows the updates are summed (batch size 1 is the classic rule).
 */
import type { Model, Workspace } from './model.js';

/**
 * One perceptron-rule update from x[rows × inputs] and 0/1 targets t[rows × units], using the
 * outputs of the `model.forward` just run on `ws`. Returns how many outputs were wrong.
 */
export function perceptronUpdate(model: Model, ws: Workspace, t: Float32Array, lr: number): number {
  const l = model.layers[0];
  const rows = ws.rows;
  const y = ws.a[0];
  const err = ws.delta[0];
  let mistakes = 0;
  // err = η·(t − y)
  for (let i = 0, n = rows * l.units; i < n; i++) {
    const e = t[i] - y[i];
    if (e !== 0) mistakes++;
    err[i] = lr * e;
  }
  if (mistakes === 0) return 0;
  // W[inputs×units] += xᵀ·err;  b += Σ_rows err  (the backend's gradient kernels, accumulating)
  model.backend.matmulTransA(model.views.W[0], ws.input, err, rows, l.inputs, l.units, true);
  const b = model.views.b[0];
  if (b) model.backend.sumRows(b, err, rows, l.units, true);
  return mistakes;
}
