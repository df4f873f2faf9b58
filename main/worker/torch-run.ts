/**
 * One run on "PyTorch on this machine", inside the worker process: the run's config becomes a
 * PyTorch job (main/export/pytorch.ts) in a temp folder, Python runs its train.py (CUDA when
 * PyTorch sees a GPU), history.jsonl is streamed into the same progress events as the built-in
 * engine's, and the result is imported at the end (main/runs/import-result.ts) as the run's
 * outcome. Pause and stop are the job's PAUSE and STOP files; a changed learning rate is not
 * something a running job can take, so resuming keeps the rate.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StudioError, describeSchemaError, serializeError, type SerializedError } from '../../shared/ipc/contract.js';
import type { FromWorker } from '../../shared/ipc/worker-protocol.js';
import { RESULT_FILES } from '../../shared/export/pytorch/index.js';
import { RunConfig } from '../../shared/runs/config.js';
import { runData } from '../../shared/runs/prepared-facts.js';
import { EpochPoint, type RunProgress } from '../../shared/runs/results.js';
import { buildPytorchJob, writePytorchJob } from '../export/pytorch.js';
import { importedOutcome, readResultFolder } from '../runs/import-result.js';
import { defaultPython, detectPython } from '../runs/python-env.js';
import { ExportError } from '../../shared/export/source.js';

/** How often history.jsonl is read for new epochs. */
const TAIL_MS = 250;
/** Lines of the job's output kept for a failure's message. */
const KEPT_LINES = 12;

/** A batch line of train.py --progress. */
interface BatchLine {
  type: 'batch'; epoch: number; epochs: number; batch: number; batches: number; iteration: number;
  loss: number; accuracy: number | null; learningRate: number; samplesPerSec: number;
}

export class TorchSession {
  private child: ChildProcess | null = null;
  private out = '';
  private stopRequested = false;
  private paused = false;

  constructor(readonly runId: string, private readonly send: (message: FromWorker) => void) {}

  pause(): void {
    this.paused = true;
    void writeFile(join(this.out, RESULT_FILES.pause), '').catch(() => {});
  }

  resume(): void {
    this.paused = false;
    void unlink(join(this.out, RESULT_FILES.pause)).catch(() => {});
  }

  stop(): void {
    this.stopRequested = true;
    this.paused = false;
    if (this.out) void writeFile(join(this.out, RESULT_FILES.stop), '').catch(() => {});
  }

  /** Ends the job's process with the worker (the app quits, the worker is stopped). */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  async run(rawConfig: unknown): Promise<void> {
    const folder = mkdtempSync(join(tmpdir(), 'nn-studio-torch-'));
    try {
      const parsed = RunConfig.safeParse(rawConfig);
      if (!parsed.success) throw new StudioError('InvalidConfig', `run settings: ${describeSchemaError(parsed.error)}`);
      const config = parsed.data;
      this.send({ type: 'run:loading', runId: this.runId, fraction: null });
      const env = await detectPython(defaultPython());
      if (env.missing) throw new StudioError('PythonMissing', `PyTorch on this machine: ${env.missing}`);
      const built = await buildPytorchJob(config);
      await writePytorchJob(built, folder);
      this.out = join(folder, 'run');
      this.send({
        type: 'run:started', runId: this.runId, data: runData(built.prepared), paramCount: built.initial.length,
        spec: built.job.spec, preprocessing: built.job.preprocessing, training: built.job.training,
      });
      if (this.stopRequested) throw new StudioError('Stopped', 'the run was stopped before PyTorch started');
      const code = await this.train(env.python, folder);
      if (code !== 0) throw new StudioError('PyTorchFailed', `PyTorch's train.py ended with ${code}:\n${this.lastLines.join('\n')}`);
      await this.emitNewEpochs(); // the last epoch's line may have come after the last look
      const result = await readResultFolder(this.out);
      this.send({ type: 'run:finished', runId: this.runId, outcome: importedOutcome(result, built.prepared) });
    } catch (e) {
      this.send({ type: 'run:failed', runId: this.runId, error: describeFailure(e) });
    } finally {
      await rm(folder, { recursive: true, force: true }).catch(() => {});
    }
  }

  private lastLines: string[] = [];
  private epochsSent = 0;
  private lastBatch: BatchLine | null = null;
  /** Rows per step (train.py's 'started' line tells it). */
  private batchSize = 0;

  /** Runs train.py until it exits, forwarding its progress; resolves with its exit code. */
  private train(python: string, folder: string): Promise<number | string> {
    return new Promise((resolve, reject) => {
      const child = spawn(python, ['train.py', '--out', this.out, '--progress'], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      const tail = setInterval(() => void this.emitNewEpochs(), TAIL_MS);
      let pending = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const line of lines) this.onLine(line);
      });
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.keep(chunk.split('\n')));
      child.on('error', (e) => {
        clearInterval(tail);
        reject(new StudioError('PythonMissing', `PyTorch on this machine: ${python} could not be started (${e.message})`));
      });
      child.on('close', (code, signal) => {
        clearInterval(tail);
        this.child = null;
        resolve(code ?? signal ?? 'an unknown signal');
      });
    });
  }

  private keep(lines: string[]): void {
    this.lastLines = [...this.lastLines, ...lines.filter((l) => l.trim() !== '')].slice(-KEPT_LINES);
  }

  private onLine(line: string): void {
    let message: Omit<Partial<BatchLine>, 'type'> & { type?: string; batchSize?: number };
    try {
      message = JSON.parse(line);
    } catch {
      this.keep([line]);
      return;
    }
    switch (message.type) {
      case 'batch':
        this.lastBatch = message as BatchLine;
        this.send({ type: 'run:progress', progress: this.progress('batch', this.lastBatch) });
        break;
      case 'started':
        this.batchSize = message.batchSize ?? 0;
        break;
      case 'paused':
        this.send({ type: 'run:paused', runId: this.runId });
        break;
      case 'resumed':
        this.send({ type: 'run:resumed', runId: this.runId, learningRate: message.learningRate ?? 0 });
        break;
      default:
        break;
    }
  }

  /** Sends the epochs history.jsonl has gained since the last look. */
  private async emitNewEpochs(): Promise<void> {
    const text = await readFile(join(this.out, RESULT_FILES.history), 'utf8').catch(() => '');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    // A line being written may be cut short: only complete JSON lines count.
    for (; this.epochsSent < lines.length; this.epochsSent++) {
      const parsed = EpochPoint.safeParse(safeJson(lines[this.epochsSent]));
      if (!parsed.success) break;
      const point = parsed.data;
      const batch = this.lastBatch;
      this.send({
        type: 'run:progress',
        progress: this.progress('epoch', {
          type: 'batch', epoch: point.epoch, epochs: batch?.epochs ?? point.epoch, batch: batch?.batches ?? 1, batches: batch?.batches ?? 1,
          iteration: point.iteration, loss: point.loss, accuracy: point.accuracy, learningRate: point.learningRate, samplesPerSec: batch?.samplesPerSec ?? 0,
        }, point),
      });
    }
  }

  private progress(kind: RunProgress['kind'], b: BatchLine, point?: EpochPoint): RunProgress {
    // Seconds left: the planned steps not yet taken at the current throughput (as the built-in engine tells it).
    const stepsLeft = Math.max(0, b.epochs * b.batches - b.iteration);
    return {
      runId: this.runId, kind, epoch: b.epoch, epochs: b.epochs, batch: b.batch, batchesPerEpoch: b.batches, iteration: b.iteration,
      loss: b.loss, accuracy: b.accuracy, learningRate: b.learningRate, samplesPerSec: b.samplesPerSec,
      etaSeconds: b.samplesPerSec > 0 && this.batchSize > 0 ? (stepsLeft * this.batchSize) / b.samplesPerSec : null,
      point,
    };
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

function describeFailure(e: unknown): SerializedError {
  if (e instanceof ExportError) return { name: 'ExportError', message: `PyTorch on this machine: ${e.message}` };
  const { internal, ...error } = serializeError(e);
  return internal && e instanceof Error && e.stack ? { ...error, message: `${error.message}\n${e.stack}` } : error;
}
