/**
 * Optimizers: one update of ALL parameters from ALL gradients, each a single loop over the flat
 * buffers (convention 5), with their moments in flat buffers of the same size.
 *
 *   sgd       w ← w − η·g
 *   momentum  v ← μ·v − η·g;  w ← w + v                               (the tutorials' Momentum)
 *   nesterov  v ← μ·v − η·g;  w ← w + μ·v − η·g                       (Nesterov's look-ahead, in the
 *                                                                      parameterisation that needs no extra forward pass)
 *   rmsprop   h ← ρ·h + (1−ρ)·g²;  w ← w − η·g / (√h + ε)
 *   adam      m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − η·m̂ / (√v̂ + ε),
 *             m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)                            (Kingma & Ba; peers.py's formula)
 *   adamw     w ← w − η·λ·w, then the Adam step                        (decoupled weight decay, all parameters
 *                                                                      as in PyTorch's AdamW)
 */
import type { Backend } from './backend.js';
import type { OptimizerName, OptimizerSpec } from './spec.js';

export interface Optimizer {
  readonly name: OptimizerName;
  /** Updates so far (Adam's t). */
  readonly steps: number;
  /** w ← update(w, g) with learning rate `lr`. */
  update(params: Float32Array, grads: Float32Array, lr: number): void;
  /** The moment buffers (for checkpoints and the inspector); empty for plain SGD. */
  readonly moments: readonly Float32Array[];
}

/** An optimizer for `size` parameters, its moments allocated (zeroed) on `backend`. */
export function createOptimizer(spec: OptimizerSpec, size: number, backend: Backend): Optimizer {
  switch (spec.name) {
    case 'sgd': return new Sgd(backend);
    case 'momentum': return new Momentum(spec.momentum ?? 0.9, false, backend.alloc(size));
    case 'nesterov': return new Momentum(spec.momentum ?? 0.9, true, backend.alloc(size));
    case 'rmsprop': return new RmsProp(spec.rho ?? 0.9, spec.eps ?? 1e-8, backend.alloc(size));
    case 'adam':
    case 'adamw': {
      const decay = spec.name === 'adamw' ? spec.weightDecay ?? 0.01 : 0;
      return new Adam(spec.name, spec.beta1 ?? 0.9, spec.beta2 ?? 0.999, spec.eps ?? 1e-8, decay, backend.alloc(size), backend.alloc(size), backend);
    }
    default: throw new Error(`unknown optimizer ${String(spec.name satisfies never)}`);
  }
}

class Sgd implements Optimizer {
  readonly name = 'sgd';
  readonly moments = [];
  steps = 0;
  constructor(private readonly backend: Backend) {}
  update(w: Float32Array, g: Float32Array, lr: number): void {
    this.steps++;
    if (this.backend.axpy) {
      this.backend.axpy(w, g, w.length, -lr);
      return;
    }
    for (let i = 0, n = w.length; i < n; i++) w[i] -= lr * g[i];
  }
}

class Momentum implements Optimizer {
  readonly name: OptimizerName;
  readonly moments: Float32Array[];
  steps = 0;
  constructor(private readonly mu: number, private readonly nesterov: boolean, private readonly v: Float32Array) {
    this.name = nesterov ? 'nesterov' : 'momentum';
    this.moments = [v];
  }
  update(w: Float32Array, g: Float32Array, lr: number): void {
    const v = this.v, mu = this.mu;
    if (this.nesterov) {
      for (let i = 0; i < w.length; i++) {
        const step = -lr * g[i];
        const vi = mu * v[i] + step;
        v[i] = vi;
        w[i] += mu * vi + step;
      }
    } else {
      for (let i = 0; i < w.length; i++) {
        const vi = mu * v[i] - lr * g[i];
        v[i] = vi;
        w[i] += vi;
      }
    }
    this.steps++;
  }
}

class RmsProp implements Optimizer {
  readonly name = 'rmsprop';
  readonly moments: Float32Array[];
  steps = 0;
  constructor(private readonly rho: number, private readonly eps: number, private readonly h: Float32Array) {
    this.moments = [h];
  }
  update(w: Float32Array, g: Float32Array, lr: number): void {
    const h = this.h, rho = this.rho, eps = this.eps;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      const hi = rho * h[i] + (1 - rho) * gi * gi;
      h[i] = hi;
      w[i] -= (lr * gi) / (Math.sqrt(hi) + eps);
    }
    this.steps++;
  }
}

class Adam implements Optimizer {
  readonly moments: Float32Array[];
  steps = 0;
  constructor(
    readonly name: 'adam' | 'adamw',
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly eps: number,
    private readonly weightDecay: number,
    private readonly m: Float32Array,
    private readonly v: Float32Array,
    private readonly backend: Backend,
  ) {
    this.moments = [m, v];
  }
  update(w: Float32Array, g: Float32Array, lr: number): void {
    const t = ++this.steps;
    const { beta1: b1, beta2: b2, eps, m, v } = this;
    // m̂/(√v̂ + ε) = (m/(1−β₁ᵗ)) / (√v/√(1−β₂ᵗ) + ε): fold the corrections into two scalars.
    const stepSize = lr / (1 - Math.pow(b1, t));
    const invSqrtBc2 = 1 / Math.sqrt(1 - Math.pow(b2, t));
    const decay = 1 - lr * this.weightDecay;
    if (this.backend.adam) {
      this.backend.adam(w, g, m, v, w.length, b1, b2, eps, stepSize, invSqrtBc2, decay, t);
      return;
    }
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      const mi = b1 * m[i] + (1 - b1) * gi;
      const vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = w[i] * decay - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  }
}
