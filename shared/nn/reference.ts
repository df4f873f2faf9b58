// ---------------------------------------------------------------------------------------------
// Convolution, pooling and batch normalisation: the textbook loops in float64 (the oracle of
// layers/conv2d.ts, layers/pool.ts and layers/batchnorm.ts). NCHW tensors, flat arrays, sizes
// explicit; outputs first; backward passes add into weight gradients and overwrite dinp.
// ---------------------------------------------------------------------------------------------
import type { ConvGeometry } from './layers/geometry.js';

/** out[B×OC×OH×OW] = inp ⋆ W[OC×C×k×k] + b: for every image, six nested loops. */
export function conv2dForwardRef(out: Float64Array, inp: ArrayLike<number>, W: ArrayLike<number>, b: ArrayLike<number> | null, g: ConvGeometry): void {
  const { B, C, H, W: IW, OC, k, stride, padTop, padLeft, OH, OW } = g;
  for (let n = 0; n < B; n++) {
    for (let oc = 0; oc < OC; oc++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let s = b ? b[oc] : 0;
          for (let c = 0; c < C; c++) {
            for (let i = 0; i < k; i++) {
              for (let j = 0; j < k; j++) {
                const ih = oh * stride + i - padTop, iw = ow * stride + j - padLeft;
                if (ih < 0 || ih >= H || iw < 0 || iw >= IW) continue;
                s += inp[((n * C + c) * H + ih) * IW + iw] * W[((oc * C + c) * k + i) * k + j];
              }
            }
          }
          out[((n * OC + oc) * OH + oh) * OW + ow] = s;
        }
      }
    }
  }
}

/** dW += ∂L/∂W, db += ∂L/∂b (when given), dinp = ∂L/∂inp (when given) from dout = ∂L/∂out: the same loops. */
export function conv2dBackwardRef(dinp: Float64Array | null, dW: Float64Array, db: Float64Array | null, dout: ArrayLike<number>,
  inp: ArrayLike<number>, W: ArrayLike<number>, g: ConvGeometry): void {
  const { B, C, H, W: IW, OC, k, stride, padTop, padLeft, OH, OW } = g;
  dinp?.fill(0, 0, B * C * H * IW);
  for (let n = 0; n < B; n++) {
    for (let oc = 0; oc < OC; oc++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          const d = dout[((n * OC + oc) * OH + oh) * OW + ow];
          if (db) db[oc] += d;
          for (let c = 0; c < C; c++) {
            for (let i = 0; i < k; i++) {
              for (let j = 0; j < k; j++) {
                const ih = oh * stride + i - padTop, iw = ow * stride + j - padLeft;
                if (ih < 0 || ih >= H || iw < 0 || iw >= IW) continue;
                const x = ((n * C + c) * H + ih) * IW + iw, w = ((oc * C + c) * k + i) * k + j;
                dW[w] += d * inp[x];
                if (dinp) dinp[x] += d * W[w];
              }
            }
          }
        }
      }
    }
  }
}

/** out = window maxima over planes×H×W, argmax = the index in inp of each (the first maximum wins a tie). */
export function maxPoolForwardRef(out: Float64Array, argmax: Int32Array, inp: ArrayLike<number>, planes: number, H: number, W: number,
  size: number, stride: number, OH: number, OW: number): void {
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let best = -1, max = -Infinity;
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) {
            const at = (p * H + oh * stride + i) * W + ow * stride + j;
            if (best < 0 || inp[at] > max) {
              max = inp[at];
              best = at;
            }
          }
        }
        const o = (p * OH + oh) * OW + ow;
        out[o] = max;
        argmax[o] = best;
      }
    }
  }
}

/** dinp = ∂L/∂inp of max pooling: each output's gradient to the input that won its window. */
export function maxPoolBackwardRef(dinp: Float64Array, dout: ArrayLike<number>, argmax: ArrayLike<number>, planes: number, H: number, W: number,
  OH: number, OW: number): void {
  dinp.fill(0, 0, planes * H * W);
  for (let o = 0; o < planes * OH * OW; o++) dinp[argmax[o]] += dout[o];
}

/** out = window means over planes×H×W. */
export function avgPoolForwardRef(out: Float64Array, inp: ArrayLike<number>, planes: number, H: number, W: number,
  size: number, stride: number, OH: number, OW: number): void {
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let s = 0;
        for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) s += inp[(p * H + oh * stride + i) * W + ow * stride + j];
        out[(p * OH + oh) * OW + ow] = s / (size * size);
      }
    }
  }
}

/** dinp = ∂L/∂inp of average pooling. */
export function avgPoolBackwardRef(dinp: Float64Array, dout: ArrayLike<number>, planes: number, H: number, W: number,
  size: number, stride: number, OH: number, OW: number): void {
  dinp.fill(0, 0, planes * H * W);
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const d = dout[(p * OH + oh) * OW + ow] / (size * size);
        for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) dinp[(p * H + oh * stride + i) * W + ow * stride + j] += d;
      }
    }
  }
}

/** out[planes] = each plane's mean. */
export function globalAvgPoolForwardRef(out: Float64Array, inp: ArrayLike<number>, planes: number, HW: number): void {
  for (let p = 0; p < planes; p++) {
    let s = 0;
    for (let i = 0; i < HW; i++) s += inp[p * HW + i];
    out[p] = s / HW;
  }
}

/** dinp = ∂L/∂inp of global average pooling. */
export function globalAvgPoolBackwardRef(dinp: Float64Array, dout: ArrayLike<number>, planes: number, HW: number): void {
  for (let p = 0; p < planes; p++) for (let i = 0; i < HW; i++) dinp[p * HW + i] = dout[p] / HW;
}

/** Channel c's mean and biased variance over x[N×C×S]. */
function channelMoments(x: ArrayLike<number>, N: number, C: number, S: number, c: number): { mean: number; variance: number } {
  let s = 0;
  for (let n = 0; n < N; n++) for (let i = 0; i < S; i++) s += x[(n * C + c) * S + i];
  const mean = s / (N * S);
  let q = 0;
  for (let n = 0; n < N; n++) for (let i = 0; i < S; i++) q += (x[(n * C + c) * S + i] - mean) ** 2;
  return { mean, variance: q / (N * S) };
}

/**
 * Batch normalisation of x[N×C×S] per channel: y = γ·(x − μ)/√(σ² + ε) + β with the batch's μ, σ²
 * (training: also running ← momentum·running + (1 − momentum)·batch, the variance unbiased, left
 * alone when N·S = 1) or the running ones (evaluation).
 */
export function batchnormForwardRef(out: Float64Array, x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>,
  runningMean: Float64Array, runningVar: Float64Array, N: number, C: number, S: number, training: boolean, momentum: number, eps: number): void {
  const m = N * S;
  for (let c = 0; c < C; c++) {
    const { mean, variance } = training ? channelMoments(x, N, C, S, c) : { mean: runningMean[c], variance: runningVar[c] };
    if (training) {
      runningMean[c] = momentum * runningMean[c] + (1 - momentum) * mean;
      if (m > 1) runningVar[c] = momentum * runningVar[c] + (1 - momentum) * variance * (m / (m - 1));
    }
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < S; i++) {
        const at = (n * C + c) * S + i;
        out[at] = (gamma[c] * (x[at] - mean)) / Math.sqrt(variance + eps) + beta[c];
      }
    }
  }
}

/**
 * dgamma += ∂L/∂γ, dbeta += ∂L/∂β, dinp = ∂L/∂x of batchnormForwardRef (training: through the batch
 * statistics, by the chain rule written out term by term; evaluation: the running ones are constants).
 */
export function batchnormBackwardRef(dinp: Float64Array, dgamma: Float64Array, dbeta: Float64Array, dout: ArrayLike<number>,
  x: ArrayLike<number>, gamma: ArrayLike<number>, runningMean: ArrayLike<number>, runningVar: ArrayLike<number>,
  N: number, C: number, S: number, training: boolean, eps: number): void {
  const m = N * S;
  for (let c = 0; c < C; c++) {
    const { mean, variance } = training ? channelMoments(x, N, C, S, c) : { mean: runningMean[c], variance: runningVar[c] };
    const inv = 1 / Math.sqrt(variance + eps);
    // ∂L/∂x̂ = γ·∂y;  ∂L/∂σ² = Σ ∂L/∂x̂·(x − μ)·(−½)(σ² + ε)^(−3/2);  ∂L/∂μ = Σ −∂L/∂x̂/√(σ²+ε) (+ a term that sums to 0)
    let dvar = 0, dmean = 0;
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < S; i++) {
        const at = (n * C + c) * S + i;
        const dxhat = gamma[c] * dout[at];
        dgamma[c] += dout[at] * (x[at] - mean) * inv;
        dbeta[c] += dout[at];
        dvar += dxhat * (x[at] - mean) * -0.5 * inv ** 3;
        dmean -= dxhat * inv;
      }
    }
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < S; i++) {
        const at = (n * C + c) * S + i;
        const dxhat = gamma[c] * dout[at];
        dinp[at] = training ? dxhat * inv + (dvar * 2 * (x[at] - mean)) / m + dmean / m : dxhat * inv;
      }
    }
  }
}
