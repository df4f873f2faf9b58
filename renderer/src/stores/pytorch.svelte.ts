/**
 * "PyTorch on this machine": what the backend's Python has (asked once, when the training settings
 * first show the engine choice), and bringing a PyTorch job's results back as a run.
 */
import type { PythonStatus } from '../../../shared/ipc/contract.js';
import { hasLocalPaths, uploadFile } from '../lib/files.js';
import { studio } from '../lib/studio.js';
import { runs } from './runs.svelte.js';
import { ui } from './ui.svelte.js';

class PytorchStore {
  status = $state<PythonStatus | null>(null);
  checking = $state(false);
  importing = $state(false);

  /** Asks the backend which Python it would run (once). */
  async check(): Promise<void> {
    if (this.status || this.checking) return;
    this.checking = true;
    try {
      this.status = await studio.call('pytorch:status');
    } catch (e) {
      this.status = { python: '', version: null, torch: null, numpy: null, cuda: false, missing: (e as Error).message, lacks: ['python'] };
    } finally {
      this.checking = false;
    }
  }

  /** Runs → Import results…: the desktop's folder dialog, or the files a browser picked (uploaded first). */
  async importResults(files: readonly File[] = []): Promise<void> {
    this.importing = true;
    try {
      const paths = hasLocalPaths() || files.length === 0
        ? (await studio.call('dialog:open', { kind: 'result-folder' })).paths
        : await Promise.all(files.map((f) => uploadFile(f, f.name, () => {}, new AbortController().signal)));
      if (paths.length === 0) return;
      // Judged on the dataset the job names (the person chose it when the job was made).
      const run = await studio.call('runs:import', { paths });
      runs.adopt([run], run.id);
      ui.notify({ kind: 'info', key: 'runs.imported', params: { id: run.id } });
    } catch (e) {
      ui.notify({ kind: 'error', key: 'runs.importFailed', params: { message: (e as Error).message } }, 15_000);
    } finally {
      this.importing = false;
    }
  }
}

export const pytorch = new PytorchStore();
