/**
 * The choice between one thread and two, per product shape, from measured times: it tries both,
 * keeps to the faster, re-times the slower now and then, and follows a change of load.
 */
import { describe, expect, it } from 'vitest';
import { ParallelPolicy } from '../../../shared/nn/wasm/policy.js';

/** Runs `calls` calls of one shape whose parallel and serial calls take the given times. */
function drive(policy: ParallelPolicy, key: number, calls: number, parallelMs: number, serialMs: number): boolean[] {
  const choices: boolean[] = [];
  for (let i = 0; i < calls; i++) {
    const parallel = policy.choose(key, 1e6);
    choices.push(parallel);
    policy.record(key, parallel, parallel ? parallelMs : serialMs);
  }
  return choices;
}

describe('ParallelPolicy', () => {
  it('never shares products below its threshold', () => {
    const p = new ParallelPolicy(1000);
    expect(p.choose(1, 999)).toBe(false);
  });

  it('times both ways first, then keeps to the faster and re-times the other every probeEvery calls', () => {
    const p = new ParallelPolicy(1000, 8);
    const choices = drive(p, 7, 34, 1, 2); // two threads twice as fast
    expect(choices.slice(0, 2)).toEqual([true, false]);
    const serialAfter = choices.slice(2).flatMap((c, i) => (c ? [] : [i + 3]));
    expect(serialAfter).toEqual([8, 16, 24, 32]); // only the probes
  });

  it('switches to one thread when the helper stops paying (a busy machine), and back', () => {
    const p = new ParallelPolicy(1000, 8);
    drive(p, 7, 20, 1, 2);
    const busy = drive(p, 7, 40, 5, 2); // helper preempted: sharing now takes 5 ms
    expect(busy.slice(-16).filter((c) => c).length).toBe(2); // parallel only as a probe
    const quiet = drive(p, 7, 40, 1, 2);
    expect(quiet.slice(-16).filter((c) => !c).length).toBe(2);
  });

  it('keeps shapes apart', () => {
    const p = new ParallelPolicy(1000, 1000);
    drive(p, ParallelPolicy.key(0, 100, 784, 50), 4, 1, 2);
    drive(p, ParallelPolicy.key(2, 128, 128, 10), 4, 3, 2);
    expect(p.choose(ParallelPolicy.key(0, 100, 784, 50), 1e6)).toBe(true);
    expect(p.choose(ParallelPolicy.key(2, 128, 128, 10), 1e6)).toBe(false);
    expect(ParallelPolicy.key(0, 100, 784, 50)).not.toBe(ParallelPolicy.key(1, 100, 784, 50));
  });
});
