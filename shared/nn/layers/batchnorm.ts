/**
 * Batch normalisation (Ioffe & Szegedy 2015) over x[N×C×S]: per feature after a dense layer
 * (S = 1, x[N×F]) or per channel over N·H·W after a convolution (S = H·W). With m = N·S values
 * per channel c:
 *
 *   training:   μ = (1/m) Σ x,  σ² = (1/m) Σ (x − μ)²  (this batch's statistics)
 *               running μ ← momentum·running μ + (1 − momentum)·μ
 *               running σ² ← momentum·running σ² + (1 − momentum)·σ²·m/(m − 1)   (unbiased, as PyTorch)
 *   evaluation: μ, σ² = the running statistics
 *   both:       x̂ = (x − μ)/√(σ² + ε),  y = γ·x̂ + β
 *
 * With one value per channel (m = 1) the unbiased variance is undefined: the running variance is
 * then left as it is. The forward pass caches x̂ and 1/√(σ² + ε) for the backward pass:
 *
 *   ∂β += Σ ∂y,  ∂γ += Σ ∂y·x̂
 *   training:   ∂x = γ/√(σ²+ε) · (∂y − (1/m)Σ∂y − x̂·(1/m)Σ∂y·x̂)   (μ and σ² depend on x)
 *   evaluation: ∂x = γ/√(σ²+ε) · ∂y
 * Sums run in float64 (JavaScript numbers); batch normalisation is memory-bound.
 */

/** What batchnormForward caches for batchnormBackward: xhat[N×C×S] and invStd[C]. */
export interface BatchNormCache {
  xhat: Float32Array;
  invStd: Float32Array;
}

/**
 * out[N×C×S] = γ·x̂ + β; in training also updates runningMean[C], runningVar[C]. Fills cache.
 */
export function batchnormForward(out: Float32Array, cache: BatchNormCache, inp: Float32Array, gamma: Float32Array, beta: Float32Array,
  runningMean: Float32Array, runningVar: Float32Array, N: number, C: number, S: number,
  training: boolean, momentum: number, eps: number): void {
  const m = N * S;
  const { xhat, invStd } = cache;
  for (let c = 0; c < C; c++) {
    let mean: number, variance: number;
    if (training) {
      let s = 0;
      for (let n = 0; n < N; n++) for (let i = (n * C + c) * S, end = i + S; i < end; i++) s += inp[i];
      mean = s / m;
      let q = 0;
      for (let n = 0; n < N; n++) for (let i = (n * C + c) * S, end = i + S; i < end; i++) q += (inp[i] - mean) ** 2;
      variance = q / m;
      runningMean[c] = momentum * runningMean[c] + (1 - momentum) * mean;
      if (m > 1) runningVar[c] = momentum * runningVar[c] + (1 - momentum) * (q / (m - 1));
    } else {
      mean = runningMean[c];
      variance = runningVar[c];
    }
    const inv = 1 / Math.sqrt(variance + eps);
    invStd[c] = inv;
    const g = gamma[c], b = beta[c];
    for (let n = 0; n < N; n++) {
      for (let i = (n * C + c) * S, end = i + S; i < end; i++) {
        const h = (inp[i] - mean) * inv;
        xhat[i] = h;
        out[i] = g * h + b;
      }
    }
  }
}

/**
 * After batchnormForward (same `training`): dgamma[C] += ∂L/∂γ, dbeta[C] += ∂L/∂β, and
 * dinp[N×C×S] = ∂L/∂x (overwritten; null to skip it), from dout = ∂L/∂y.
 */
export function batchnormBackward(dinp: Float32Array | null, dgamma: Float32Array, dbeta: Float32Array, dout: Float32Array,
  cache: BatchNormCache, gamma: Float32Array, N: number, C: number, S: number, training: boolean): void {
  const m = N * S;
  const { xhat, invStd } = cache;
  for (let c = 0; c < C; c++) {
    let sumDy = 0, sumDyXhat = 0;
    for (let n = 0; n < N; n++) {
      for (let i = (n * C + c) * S, end = i + S; i < end; i++) {
        sumDy += dout[i];
        sumDyXhat += dout[i] * xhat[i];
      }
    }
    dbeta[c] += sumDy;
    dgamma[c] += sumDyXhat;
    if (!dinp) continue;
    const scale = gamma[c] * invStd[c];
    const meanDy = training ? sumDy / m : 0, meanDyXhat = training ? sumDyXhat / m : 0;
    for (let n = 0; n < N; n++) {
      for (let i = (n * C + c) * S, end = i + S; i < end; i++) dinp[i] = scale * (dout[i] - meanDy - xhat[i] * meanDyXhat);
    }
  }
}
