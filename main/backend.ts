/**
 * The backend the renderer talks to, assembled once and shared by both transports: Electron's
 * ipcMain (main/index.ts) and the web host's WebSocket (main/web/host.ts). It owns the router,
 * the services behind it and the event stream the renderer subscribes to.
 */
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ErrorNames, StudioError, eventChannels, type AppInfo, type EventChannel, type EventOf } from '../shared/ipc/contract.js';
import { createRouter, type Handlers, type Router } from './ipc/router.js';
import { appInfo } from './services/app.js';
import type { ForkWorker } from './workers/process.js';
import { WorkerManager } from './workers/manager.js';
import { RunManager } from './runs/manager.js';
import { cellSamples } from './runs/samples.js';
import { inspectDataset } from './data/index.js';
import { SAMPLES } from '../shared/data/samples/index.js';
import { predictRows } from '../shared/runs/predict.js';
import type { LoadedProject } from '../shared/project/ipc.js';
import { ProjectService } from './projects/service.js';
import type { Grants } from './services/grants.js';
import { withRunWeights } from './runs/weights.js';
import { withoutRunWeights } from '../shared/project/lean.js';
import { Slots } from './workers/slots.js';
import { sampleName } from '../shared/data/samples/index.js';
import { exportRun } from './export/index.js';
import type { DownloadStager } from './web/downloads.js';
import { DEFAULT_FILE_NAMES, type ExportFormat } from '../shared/export/formats.js';
import type { DatasetOptions } from '../shared/data/options.js';
import type { RunRecord } from '../shared/runs/results.js';

export interface BackendOptions {
  mode: AppInfo['mode'];
  forkWorker: ForkWorker;
  /** Where the studio keeps its own files (autosaves for crash recovery); default ~/.nn-studio. */
  dataDir?: string;
  log?: (line: string) => void;
  /** Runs trained at once (default: one per core). */
  maxConcurrentRuns?: number;
  /**
   * The paths the person chose; every channel that takes a path checks it here. Required: the
   * desktop app and the web host pass their own, the CLI `Grants.unrestricted()`.
   */
  grants: Grants;
  /** `runs:ping` workers alive at once (each is a process); more wait their turn. */
  maxPings?: number;
  /** Web mode: where Save and Export write files for the browser to download (main/web/downloads.ts). */
  downloads?: DownloadStager;
}

export type EventListener = <C extends EventChannel>(channel: C, payload: EventOf<C>) => void;

export interface Backend {
  router: Router;
  runs: RunManager;
  /** Subscribes to every event the backend pushes; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  dispose(): Promise<void>;
}

export function createBackend({ mode, forkWorker, log = () => {}, maxConcurrentRuns, dataDir = defaultDataDir(), grants, maxPings = 4, downloads }: BackendOptions): Backend {
  const listeners = new Set<EventListener>();
  const emit: EventListener = (channel, payload) => {
    eventChannels[channel].parse(payload); // a malformed event is our bug: fail loudly here, not in the renderer
    for (const listener of listeners) listener(channel, payload);
  };
  const workers = new WorkerManager(forkWorker, (event) => {
    if (event.unexpected) log(`worker ${event.pid} exited unexpectedly (code ${event.code}, signal ${event.signal})`);
    emit('workers:exited', event);
  }, log);

  const runs = new RunManager(workers, emit, maxConcurrentRuns);
  const datasetCacheDir = join(dataDir, 'datasets');
  const projects = new ProjectService({ recoveryDir: join(dataDir, 'recovery'), datasetCacheDir, grants });
  // Embedded datasets are unpacked here by the studio itself: what is there came from project files.
  const cacheGranted = grants.grant(datasetCacheDir, 'folder', ['read']);
  /** A dataset source a request names: a sample, or a path the person chose (made absolute). */
  const readableDataset = async (source: string): Promise<string> =>
    sampleName(source) === null ? grants.check(source, 'read', 'the dataset') : source;
  const pings = new Slots(maxPings);
  /** Opened or recovered projects bring their runs: the run manager must know them to predict and export. */
  const adoptRuns = (loaded: LoadedProject): LoadedProject => {
    runs.adopt(loaded.project.runs);
    return loaded;
  };

  /** Dataset loads that can be cancelled, by the requestId the renderer gave them. */
  const loading = new Map<string, AbortController>();

  let nextPingId = 1;
  /** Native dialogs and window state exist only in the desktop app, whose main process answers them itself. */
  const desktopOnly = (): never => {
    throw new StudioError(ErrorNames.Unsupported, 'native dialogs are only in the desktop app; in web mode the page uses its own');
  };
  const downloader = (): DownloadStager => {
    if (!downloads) throw new StudioError(ErrorNames.Unsupported, 'downloads are web mode\'s Save and Export; the desktop app saves through its dialogs');
    return downloads;
  };
  /** What 'csv' predicts, checked readable: the dataset asked for, or the run's own. */
  const exportData = async (format: ExportFormat, data: { source: string; options: DatasetOptions } | undefined, run: RunRecord) => {
    if (format === 'csv' && !data) await readableDataset(run.config.dataset.source);
    return format === 'csv' && data ? { ...data, source: await readableDataset(data.source) } : data;
  };
  const handlers: Handlers = {
    'app:info': () => appInfo(mode),
    'runs:ping': ({ message }) => pings.run(async () => {
      const worker = await workers.start();
      try {
        const id = nextPingId++;
        const sent = performance.now();
        worker.send({ type: 'ping', id, message });
        const pong = await worker.waitFor((m) => (m.type === 'pong' && m.id === id ? m : undefined));
        return { message: pong.message, workerPid: pong.pid, roundTripMs: performance.now() - sent };
      } finally {
        await worker.stop();
      }
    }),
    'runs:start': async (config) => {
      const source = await readableDataset(config.dataset.source);
      return runs.start({ ...config, dataset: { ...config.dataset, source } });
    },
    'runs:pause': ({ runId }) => runs.pause(runId),
    'runs:resume': ({ runId, learningRate }) => runs.resume(runId, learningRate),
    'runs:stop': ({ runId }) => runs.stop(runId),
    'runs:list': () => runs.list(),
    'runs:get': ({ runId }) => runs.get(runId),
    'runs:remove': ({ runId }) => {
      runs.remove(runId);
      return null;
    },
    'runs:predict': ({ runId, rows }) => {
      const { outcome } = runs.get(runId);
      if (!outcome) throw new StudioError('RunNotReady', `run ${runId} has no trained model yet`);
      return predictRows(outcome, rows);
    },
    'runs:samples': async ({ runId, actual, predicted, limit }) => {
      // A run adopted from a project file names its dataset itself: read it only if it was chosen.
      const run = runs.get(runId);
      await readableDataset(run.config.dataset.source);
      return cellSamples(run, actual, predicted, limit);
    },
    'datasets:samples': () => SAMPLES.map(({ name, description, task }) => ({ name, description, task })),
    'datasets:inspect': async ({ source: requested, options, requestId }) => {
      const source = await readableDataset(requested);
      const abort = new AbortController();
      if (requestId) loading.set(requestId, abort);
      try {
        return await inspectDataset(source, options, {
          signal: abort.signal,
          onProgress: requestId
            ? (p) => emit('datasets:progress', { requestId, fraction: p.total > 0 ? Math.min(1, p.done / p.total) : 0 })
            : undefined,
        });
      } catch (e) {
        if (abort.signal.aborted) throw new StudioError('Cancelled', `loading ${source} was cancelled`);
        throw e;
      } finally {
        if (requestId) loading.delete(requestId);
      }
    },
    'datasets:cancel': ({ requestId }) => {
      loading.get(requestId)?.abort();
      return null;
    },
    'project:new': ({ name }) => projects.create(name),
    'project:open': async ({ path }) => {
      await cacheGranted;
      return adoptRuns(await projects.open(path));
    },
    'project:save': async ({ path, project, previousPath }) => {
      const saved = await projects.save(path, withRunWeights(project, runs), previousPath);
      // The page has the weights already: the reply stays a small message, as the request was.
      return { ...saved, project: withoutRunWeights(saved.project) };
    },
    'project:autosave': ({ path, project, session }) => projects.autosave(withRunWeights(project, runs), path, session),
    'project:discardAutosave': async ({ path }) => {
      await projects.discardAutosave(path);
      return null;
    },
    'project:recoveryOffers': () => projects.recoveryOffers(),
    'project:recover': async ({ key }) => {
      await cacheGranted;
      return adoptRuns(await projects.recover(key));
    },
    'project:discardRecovery': async ({ key }) => {
      await projects.discardRecovery(key);
      return null;
    },
    'project:locateDataset': ({ project, datasetPath, projectPath }) => projects.locateDataset(withRunWeights(project, runs), datasetPath, projectPath),
    'export:run': async ({ runId, format, path, name, data, pythonWeights }) => {
      const run = runs.get(runId);
      const target = await grants.check(path, 'write', 'the export');
      return { files: await exportRun(run, format, target, { name, data: await exportData(format, data, run), pythonWeights }) };
    },
    'project:download': async ({ project }) => {
      const full = withRunWeights(project, runs);
      return downloader().stage(`${project.name || 'project'}.nnstudio`, async (folder) => [await projects.writeCopy(folder, full)]);
    },
    'export:download': async ({ runId, format, name, data, pythonWeights }) => {
      const run = runs.get(runId);
      const predicted = await exportData(format, data, run);
      let files: string[] = [];
      const staged = await downloader().stage(DEFAULT_FILE_NAMES[format], async (folder) => {
        files = await exportRun(run, format, join(folder, DEFAULT_FILE_NAMES[format]), { name, data: predicted, pythonWeights });
        return files;
      });
      return { ...staged, files: files.map((f) => basename(f)) };
    },
    'dialog:open': desktopOnly,
    'dialog:save': desktopOnly,
    'dialog:unsaved': desktopOnly,
    'window:document': () => null,
    'window:saved': () => null,
  };
  const router = createRouter(handlers, log);

  return {
    router,
    runs,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: async () => {
      await runs.dispose();
      await workers.stopAll();
    },
  };
}

/** The studio's own folder outside the desktop app (the app passes Electron's userData). */
function defaultDataDir(): string {
  return process.env.NN_STUDIO_USER_DATA ?? join(homedir(), '.nn-studio');
}
