/**
 * "PyTorch on this machine" inside the worker: the run's config becomes a PyTorch job that Python
 * trains; its epochs arrive as the same progress events as the engine's, stop ends it with the
 * weights reached, and the finished run is the imported result. Without Python the run fails
 * with a sentence naming what is missing.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TorchSession } from '../../main/worker/torch-run.js';
import type { FromWorker } from '../../shared/ipc/worker-protocol.js';
import { tempFolder } from '../export/fixtures.js';
import { pythonForTests, writeWineCsv } from '../export/pytorch-fixtures.js';

const env = await pythonForTests();

/** Runs a session to its end, calling `onMessage` with each message as it comes. */
async function session(config: unknown, onMessage: (m: FromWorker, s: TorchSession) => void = () => {}): Promise<FromWorker[]> {
  const messages: FromWorker[] = [];
  const s: TorchSession = new TorchSession('t1', (m) => {
    messages.push(m);
    onMessage(m, s);
  });
  await s.run(config);
  return messages;
}

describe('TorchSession', () => {
  let wine = '';
  beforeAll(() => {
    if (!env.missing) wine = writeWineCsv(tempFolder('nn-studio-torch-run-'));
  });
  afterEach(() => {
    delete process.env.NN_STUDIO_PYTHON;
  });

  it.skipIf(env.missing !== null)('trains with PyTorch, streams its epochs, and finishes with the imported result', async () => {
    const messages = await session({ dataset: { source: wine }, seed: 4, training: { engine: 'pytorch', epochs: 5, optimizer: 'adam', learningRate: 0.01 } });
    const failed = messages.find((m) => m.type === 'run:failed');
    expect(failed, failed?.type === 'run:failed' ? failed.error.message : '').toBeUndefined();
    expect(messages.find((m) => m.type === 'run:started')).toBeDefined();
    const epochs = messages.flatMap((m) => (m.type === 'run:progress' && m.progress.point ? [m.progress.point.epoch] : []));
    expect(epochs).toEqual([1, 2, 3, 4, 5]);
    const finished = messages.find((m) => m.type === 'run:finished');
    if (finished?.type !== 'run:finished') throw new Error('the run did not finish');
    expect(finished.outcome.reason).toBe('completed');
    expect(finished.outcome.history.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5]);
    const test = finished.outcome.evaluation.test!;
    expect(test.metrics.kind === 'classification' && test.metrics.accuracy).toBeGreaterThan(0.8);
  }, 300_000);

  it.skipIf(env.missing !== null)('stop ends the job after the current batch and keeps what it learned', async () => {
    let stopped = false;
    const messages = await session({ dataset: { source: wine }, seed: 4, training: { engine: 'pytorch', epochs: 3000, batchSize: 1, patience: 0 } }, (m, s) => {
      if (!stopped && m.type === 'run:progress' && m.progress.point) {
        stopped = true;
        s.stop();
      }
    });
    const finished = messages.find((m) => m.type === 'run:finished');
    if (finished?.type !== 'run:finished') throw new Error(`the run did not finish: ${JSON.stringify(messages.at(-1))}`);
    expect(finished.outcome.reason).toBe('stopped');
    expect(finished.outcome.epochs).toBeLessThan(3000);
  }, 300_000);

  it('without Python the run fails saying what is missing', async () => {
    process.env.NN_STUDIO_PYTHON = '/nonexistent/python3';
    const messages = await session({ dataset: { source: 'sample:xor' }, training: { engine: 'pytorch' } });
    const failed = messages.find((m) => m.type === 'run:failed');
    if (failed?.type !== 'run:failed') throw new Error('the run did not fail');
    expect(failed.error.name).toBe('PythonMissing');
    expect(failed.error.message).toContain('no Python at /nonexistent/python3');
  });
});
