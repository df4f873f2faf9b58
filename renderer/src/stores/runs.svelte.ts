/**
 * Every training run of the session, kept current from the backend's events. Progress arrives up
 * to ~20 times a second; it is gathered here without touching reactive state and applied at most
 * four times a second (`tick`), so pages and charts redraw smoothly however fast a run reports.
 * State changes (started, paused, finished, failed) apply at once.
 */
import type { EventOf } from '../../../shared/ipc/contract.js';
import { base64ToFloat32 } from '../../../shared/ipc/binary.js';
import type { Model } from '../../../shared/nn/model.js';
import type { ModelSpec } from '../../../shared/nn/spec.js';
import type { PreprocessingState } from '../../../shared/data/preprocess.js';
import type { RunConfigInput } from '../../../shared/runs/config.js';
import type { CellSamples, EpochPoint, RunProgress, RunRecord } from '../../../shared/runs/results.js';
import type { Point } from '../lib/decimate.js';
import { specOfRun } from '../lib/network.js';
import { modelFromWeights } from '../lib/predict.js';
import { studio } from '../lib/studio.js';
import { throttle } from '../lib/throttle.js';

/** How often live views refresh. */
const REFRESH_MS = 250;
/** Per-batch loss points kept per run (older ones are thinned, see `keepBatchPoint`). */
const MAX_BATCH_POINTS = 20_000;

interface Live {
  /** Per-batch loss by iteration. */
  batch: Point[];
  /** Latest weights the worker sent (small models only). */
  weights: Float32Array | null;
  /** Counts weight updates, so previews know when to recompute. */
  weightsVersion: number;
  /** Progress and history not yet applied to the record. */
  pendingProgress: RunProgress | null;
  pendingPoints: EpochPoint[];
  /** A model for previews, rebuilt when the spec changes. */
  model: { key: string; model: Model; version: number } | null;
  /** The model and fitted preprocessing the worker announced when training began. */
  started: { spec: ModelSpec; preprocessing: PreprocessingState } | null;
}

export interface RunFailure {
  runId: string;
  name: string;
  message: string;
}

class RunsStore {
  records = $state.raw<RunRecord[]>([]);
  /** The run the Train, Results, Predict and Inspect pages show. */
  focusId = $state<string | null>(null);
  /** Runs whose curves the Runs page overlays. */
  overlay = $state<string[]>([]);
  /** Runs marked to keep. */
  kept = $state<string[]>([]);
  /** Bumped whenever live data (batch loss, weights) changed; views read it to redraw. */
  tick = $state(0);
  failure = $state<RunFailure | null>(null);
  busy = $state(false);

  focus = $derived(this.records.find((r) => r.id === this.focusId) ?? null);

  private live = new Map<string, Live>();
  private refresh = throttle(() => this.applyPending(), REFRESH_MS);
  private subscribed = false;

  /** Loads the session's runs and subscribes to run events (once). */
  async init(): Promise<void> {
    if (!this.subscribed) {
      this.subscribed = true;
      studio.listen('run:queued', ({ run }) => this.upsert(run));
      studio.listen('run:started', (e) => this.onStarted(e));
      studio.listen('run:progress', (p) => this.onProgress(p));
      studio.listen('run:paused', ({ runId }) => this.patchLive(runId, { state: 'paused' }));
      studio.listen('run:resumed', ({ runId }) => this.patchLive(runId, { state: 'training' }));
      studio.listen('run:finished', ({ run }) => this.onFinished(run));
      studio.listen('run:failed', (e) => this.onFailed(e));
    }
    try {
      const list = await studio.call('runs:list');
      for (const run of list) this.upsert(run);
      // After a reload the session's runs are still there: show the latest, not an empty page.
      if (this.focusId === null) this.focusId = this.records.findLast((r) => r.outcome)?.id ?? this.records.at(-1)?.id ?? null;
    } catch {
      // an older backend without runs: the list stays empty
    }
  }

  /** Starts a run and focuses it. */
  async start(config: RunConfigInput): Promise<RunRecord | null> {
    this.busy = true;
    this.failure = null;
    try {
      const run = await studio.call('runs:start', config);
      this.upsert(run);
      this.focusId = run.id;
      return run;
    } catch (e) {
      this.failure = { runId: '', name: (e as Error).name, message: (e as Error).message };
      return null;
    } finally {
      this.busy = false;
    }
  }

  async pause(id: string): Promise<void> {
    await this.control(() => studio.call('runs:pause', { runId: id }));
  }

  async resume(id: string, learningRate?: number): Promise<void> {
    await this.control(() => studio.call('runs:resume', { runId: id, learningRate }));
  }

  /** The test rows or images behind a confusion-matrix cell, read by the backend from the run's dataset. */
  cellSamples(id: string, actual: number, predicted: number, limit?: number): Promise<CellSamples> {
    return studio.call('runs:samples', { runId: id, actual, predicted, ...(limit ? { limit } : {}) });
  }

  /** Sets (or with null clears) a finished two-class run's decision threshold, used by its predictions and exports. */
  async setThreshold(id: string, threshold: number | null): Promise<void> {
    await this.command(async () => this.upsert(await studio.call('runs:setThreshold', { runId: id, threshold })));
  }

  async stop(id: string): Promise<void> {
    await this.control(() => studio.call('runs:stop', { runId: id }));
  }

  async remove(id: string): Promise<void> {
    await this.command(async () => {
      await studio.call('runs:remove', { runId: id });
      this.records = this.records.filter((r) => r.id !== id);
      this.overlay = this.overlay.filter((o) => o !== id);
      this.live.delete(id);
      if (this.focusId === id) this.focusId = this.records.at(-1)?.id ?? null;
    });
  }

  /** Shows the runs of an opened project (their records as saved; the backend does not run them). */
  adopt(records: RunRecord[], chosenId: string | null): void {
    for (const run of records) this.upsert(run);
    this.focusId = chosenId ?? records.at(-1)?.id ?? this.focusId;
    this.kept = chosenId ? [chosenId] : [];
  }

  /** Forgets the runs shown (New project); the backend keeps its session's runs. */
  forget(): void {
    this.records = [];
    this.live.clear();
    this.focusId = null;
    this.overlay = [];
    this.kept = [];
  }

  toggleOverlay(id: string): void {
    this.overlay = this.overlay.includes(id) ? this.overlay.filter((o) => o !== id) : [...this.overlay, id];
  }

  toggleKept(id: string): void {
    this.kept = this.kept.includes(id) ? this.kept.filter((k) => k !== id) : [...this.kept, id];
  }

  /** The run currently training or paused, if any (what Esc stops). */
  active(): RunRecord | null {
    return this.records.findLast((r) => r.state === 'training' || r.state === 'paused' || r.state === 'loading' || r.state === 'queued') ?? null;
  }

  /** Per-batch loss points of a run (read `tick` to be told of changes). */
  batchLoss(id: string): readonly Point[] {
    return this.live.get(id)?.batch ?? [];
  }

  /**
   * A model with a run's latest weights for previews (boundary, curve, diagram), or null when
   * there are none yet. The same object is reused and its weights updated in place.
   */
  previewModel(run: RunRecord): { model: Model; version: number } | null {
    const live = this.liveOf(run.id);
    const weights = run.outcome ? null : live.weights;
    if (!run.outcome && !weights) return null;
    const spec = run.outcome ? specOfRun(run) : (live.started?.spec ?? specOfRun(run));
    if (!spec) return null;
    const key = JSON.stringify(spec);
    const version = run.outcome ? -1 : live.weightsVersion;
    const cached = live.model;
    if (cached && cached.key === key && cached.version === version) return cached;
    try {
      if (cached && cached.key === key && weights && weights.length === cached.model.paramCount) {
        cached.model.params.set(weights);
        live.model = { ...cached, version };
      } else {
        live.model = { key, model: modelFromWeights(spec, run.outcome ? run.outcome.weights : weights!), version };
      }
    } catch {
      return null;
    }
    return live.model;
  }

  /**
   * Pause, resume or stop. The backend answers with the run's record; when the run ended before
   * the click reached it, that record is already over and replaces what is shown, quietly.
   */
  private async control(fn: () => Promise<RunRecord>): Promise<void> {
    await this.command(async () => {
      const run = await fn();
      if (isOver(run)) this.onFinishedOrFailed(run);
    });
  }

  private async command(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.failure = { runId: this.focusId ?? '', name: (e as Error).name, message: (e as Error).message };
    }
  }

  private liveOf(id: string): Live {
    let live = this.live.get(id);
    if (!live) {
      live = { batch: [], weights: null, weightsVersion: 0, pendingProgress: null, pendingPoints: [], model: null, started: null };
      this.live.set(id, live);
    }
    return live;
  }

  private upsert(run: RunRecord): void {
    const at = this.records.findIndex((r) => r.id === run.id);
    this.records = at < 0 ? [...this.records, run] : this.records.map((r, i) => (i === at ? run : r));
  }

  private patch(id: string, patch: Partial<RunRecord>): void {
    this.records = this.records.map((r) => (r.id === id ? { ...r, ...patch } : r));
  }

  /** Patches a run that is still live; a late event never brings a finished run back to life. */
  private patchLive(id: string, patch: Partial<RunRecord>): void {
    const run = this.records.find((r) => r.id === id);
    if (run && !isOver(run)) this.patch(id, patch);
  }

  private onStarted(e: EventOf<'run:started'>): void {
    this.liveOf(e.runId).started = { spec: e.spec, preprocessing: e.preprocessing };
    this.patch(e.runId, { state: 'training', data: e.data });
  }

  /** The fitted preprocessing of a run: its outcome's, or what its worker announced at the start. */
  preprocessingOf(run: RunRecord): PreprocessingState | null {
    return run.outcome?.preprocessing ?? this.live.get(run.id)?.started?.preprocessing ?? null;
  }

  private onProgress(p: RunProgress): void {
    const live = this.liveOf(p.runId);
    keepBatchPoint(live.batch, { x: p.iteration, y: p.loss });
    if (p.weights) {
      live.weights = base64ToFloat32(p.weights);
      live.weightsVersion++;
    }
    if (p.point) live.pendingPoints.push(p.point);
    live.pendingProgress = p;
    this.refresh();
  }

  /** Applies gathered progress to the records (at most every REFRESH_MS). */
  private applyPending(): void {
    let changed = false;
    this.records = this.records.map((r) => {
      const live = this.live.get(r.id);
      if (!live || isOver(r) || (!live.pendingProgress && live.pendingPoints.length === 0)) return r;
      changed = true;
      const next = { ...r, progress: live.pendingProgress ?? r.progress, history: [...r.history, ...live.pendingPoints] };
      live.pendingProgress = null;
      live.pendingPoints = [];
      return next;
    });
    if (changed || this.live.size > 0) this.tick++;
  }

  /** A record that is over (from an event or a control's reply): shown once, however often it comes. */
  private onFinishedOrFailed(run: RunRecord): void {
    const shown = this.records.find((r) => r.id === run.id);
    if (shown && isOver(shown)) return;
    if (run.state === 'finished') this.onFinished(run);
    else {
      this.refresh.flush();
      this.upsert(run);
    }
  }

  private onFinished(run: RunRecord): void {
    this.refresh.flush();
    const live = this.live.get(run.id);
    if (live) {
      live.pendingProgress = null;
      live.pendingPoints = [];
      live.model = null;
    }
    this.upsert(run);
    this.tick++;
  }

  private onFailed(e: EventOf<'run:failed'>): void {
    this.refresh.flush();
    this.patch(e.runId, { state: 'failed', error: e.error });
    this.failure = { runId: e.runId, name: e.error.name, message: e.error.message };
  }
}

function isOver(run: RunRecord): boolean {
  return run.state === 'finished' || run.state === 'failed';
}

/** Appends a batch-loss point; past the cap, every other old point is dropped (the curve keeps its shape). */
function keepBatchPoint(points: Point[], point: Point): void {
  const last = points[points.length - 1];
  if (last && point.x <= last.x) return;
  points.push(point);
  if (points.length > MAX_BATCH_POINTS) {
    let w = 0;
    for (let i = 0; i < points.length; i += 2) points[w++] = points[i];
    points.length = w;
  }
}

export const runs = new RunsStore();
