/** Activations and losses: values, derivatives (against finite differences), names, guards. */
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, activation, fastTanh, LOSS_NAMES, loss, Model, SpecError } from '../../shared/nn/index.js';

const elementwise = ACTIVATION_NAMES.filter((n) => n !== 'softmax' && n !== 'step');
const samples = [-6, -2.5, -1, -0.3, -1e-3, 1e-3, 0.4, 1, 2.2, 7];

describe('activations', () => {
  it.each(elementwise)('%s: df(x, f(x)) matches the central difference of f', (name) => {
    const a = activation(name);
    for (const x of samples) {
      const h = 1e-6;
      const numeric = (a.f(x + h) - a.f(x - h)) / (2 * h);
      expect(a.df(x, a.f(x))).toBeCloseTo(numeric, 6);
    }
  });

  it.each(elementwise)('%s: the bulk forward/backward loops equal the scalar definitions (float64)', (name) => {
    const a = activation(name);
    const z = Float64Array.from(samples);
    const out = new Float64Array(z.length);
    a.forward(out, z, 2, 5);
    const da = Float64Array.from(samples, (_, i) => 0.5 + i);
    const dz = new Float64Array(z.length);
    a.backward(dz, da, z, out, 2, 5);
    samples.forEach((x, i) => {
      expect(out[i]).toBe(a.f(x));
      expect(dz[i]).toBeCloseTo(da[i] * a.df(x, a.f(x)), 12);
    });
  });

  it('the values people know: sigmoid(0) = 0.5, relu, leaky relu, ELU, SELU, softplus', () => {
    expect(activation('sigmoid').f(0)).toBe(0.5);
    expect(activation('relu').f(-3)).toBe(0);
    expect(activation('relu').f(3)).toBe(3);
    expect(activation('leaky-relu').f(-2)).toBeCloseTo(-0.02, 12);
    expect(activation('elu').f(-1)).toBeCloseTo(Math.exp(-1) - 1, 12);
    expect(activation('selu').f(1)).toBeCloseTo(1.0507009873554805, 12);
    expect(activation('selu').f(-1)).toBeCloseTo(1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1), 12);
    expect(activation('softplus').f(0)).toBeCloseTo(Math.log(2), 12);
    expect(activation('softplus').f(800)).toBe(800); // no overflow
    expect(activation('sigmoid').f(-800)).toBe(0);
    expect(activation('step').f(0.1)).toBe(1);
    expect(activation('step').f(0)).toBe(0);
  });

  it('float32 tanh is within one float32 ulp of Math.tanh', () => {
    const f32 = new Float32Array(2);
    const bits = new Int32Array(f32.buffer);
    let worst = 0, worstAt = 0;
    for (let x = -12; x <= 12; x += 0.0007) {
      f32[0] = Math.tanh(x);
      f32[1] = fastTanh(x);
      const ulps = Math.abs(bits[0] - bits[1]);
      if (ulps > worst) [worst, worstAt] = [ulps, x];
    }
    expect(worst, `worst at x = ${worstAt}`).toBeLessThanOrEqual(1);
  });

  it('softmax backward is the Jacobian-vector product (finite differences)', () => {
    const sm = activation('softmax');
    const z = Float64Array.from([0.2, -1.3, 2.0, 0.7]);
    const g = Float64Array.from([0.3, -0.1, 0.8, 0.05]); // ∂L/∂a for L = g·softmax(z)
    const a = new Float64Array(4);
    sm.forward(a, z, 1, 4);
    const dz = new Float64Array(4);
    sm.backward(dz, g, z, a, 1, 4);
    const L = (zz: Float64Array) => { const out = new Float64Array(4); sm.forward(out, zz, 1, 4); return out.reduce((s, v, i) => s + v * g[i], 0); };
    for (let i = 0; i < 4; i++) {
      const p = Float64Array.from(z), m = Float64Array.from(z);
      p[i] += 1e-6; m[i] -= 1e-6;
      expect(dz[i]).toBeCloseTo((L(p) - L(m)) / 2e-6, 8);
    }
  });

  it('step has no derivative: backward is refused, and so is a backprop model using it', () => {
    expect(() => activation('step').backward(new Float32Array(1), new Float32Array(1), new Float32Array(1), new Float32Array(1), 1, 1)).toThrow(SpecError);
    expect(() => Model.create({ inputs: 2, layers: [{ units: 3, activation: 'step' }, { units: 1, activation: 'sigmoid' }], loss: 'mse', task: 'regression' }))
      .toThrow(/model spec, layers\.0\.activation: 'step' has no useful derivative/);
  });

  it('an unknown name lists the known ones', () => {
    expect(() => activation('swish')).toThrow(/unknown activation 'swish'; expected one of step, identity, sigmoid/);
    expect(() => loss('hinge')).toThrow(/unknown loss 'hinge'; expected one of mse, sse/);
  });
});

describe('losses', () => {
  const y = Float64Array.from([0.8, 0.1, 0.1, 0.3, 0.6, 0.1]);
  const t = Float64Array.from([1, 0, 0, 0, 1, 0]);

  it('mse is the tutorials\' ½·Σ(y − t)² per row, averaged over rows; sse is the plain ½·Σ', () => {
    const half = 0.5 * ((0.2 ** 2 + 0.01 + 0.01) + (0.09 + 0.16 + 0.01));
    expect(loss('sse').value(y, t, 2, 3)).toBeCloseTo(half, 12);
    expect(loss('mse').value(y, t, 2, 3)).toBeCloseTo(half / 2, 12);
  });

  it('the tutorials\' cross-entropy example: −ln 0.6 for the right class at 0.6', () => {
    const yy = Float64Array.from([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]);
    const tt = Float64Array.from([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(loss('categorical-crossentropy').value(yy, tt, 1, 10)).toBeCloseTo(0.51082545709933802, 6);
  });

  it('logs are guarded: a certain wrong answer costs −ln(1e-7), not Infinity', () => {
    const cost = loss('categorical-crossentropy').value(Float64Array.from([1, 0]), Float64Array.from([0, 1]), 1, 2);
    expect(cost).toBeCloseTo(-Math.log(1e-7), 9);
    expect(loss('binary-crossentropy').value(Float64Array.from([1]), Float64Array.from([0]), 1, 1)).toBeCloseTo(-Math.log(1e-7), 6);
  });

  it('mae and huber', () => {
    expect(loss('mae').value(y, t, 2, 3)).toBeCloseTo((0.2 + 0.1 + 0.1 + 0.3 + 0.4 + 0.1) / 2, 12);
    const e = Float64Array.from([0.5, 3]);
    expect(loss('huber').value(e, new Float64Array(2), 1, 2)).toBeCloseTo(0.5 * 0.25 + (3 - 0.5), 12);
  });

  it.each(LOSS_NAMES)('%s: grad matches the central difference of value', (name) => {
    const l = loss(name);
    const yy = Float64Array.from([0.7, 0.2, 0.35, 0.9, 0.15, 0.4]);
    const tt = name.includes('crossentropy') ? Float64Array.from([1, 0, 0, 0, 1, 0]) : Float64Array.from([0.5, -1, 2, 0.3, 0.1, 1.6]);
    const g = new Float64Array(6);
    l.grad(g, yy, tt, 2, 3);
    for (let i = 0; i < 6; i++) {
      const p = Float64Array.from(yy), m = Float64Array.from(yy);
      p[i] += 1e-6; m[i] -= 1e-6;
      expect(g[i]).toBeCloseTo((l.value(p, tt, 2, 3) - l.value(m, tt, 2, 3)) / 2e-6, 6);
    }
  });

  it('cross-entropy after softmax is fused: ∂L/∂z = (y − t)/B', () => {
    const ce = loss('categorical-crossentropy');
    expect(ce.fusedWith).toBe('softmax');
    const g = new Float64Array(6);
    ce.fusedGrad(g, y, t, 2, 3);
    expect(Array.from(g)).toEqual(Array.from(y, (v, i) => (v - t[i]) / 2));
    expect(loss('binary-crossentropy').fusedWith).toBe('sigmoid');
  });
});
