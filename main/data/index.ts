/**
 * The dataset service: what the CLI, the app's services and the training worker call.
 *
 *   inspectDataset(source, options, io)  → DatasetSummary (what `inspect --json` prints)
 *   prepareDataset(source, options, io)  → PreparedDataset (training tensors + fitted state)
 *
 * `source` is a path, several IDX paths, or `sample:NAME`; `options` is the plain-JSON
 * DatasetOptions (validated here, so it may come straight from IPC or a project file); `io`
 * carries a progress callback, an AbortSignal and the memory budget. Bad input throws a
 * DatasetError (one-line message + fields + remedies). Problems that only stop training (text
 * in a numeric column, a one-class target …) do not stop inspection: the summary lists them
 * in `problems`, and prepareDataset throws the first.
 */
import type { LoadedDataset } from '../../shared/data/dataset.js';
import { resolveOptions } from '../../shared/data/options.js';
import { prepareLoaded, type PreparedDataset } from '../../shared/data/prepare.js';
import { summarizeLoaded, type DatasetSummary } from '../../shared/data/summary.js';
import { loadDataset, type DatasetSource, type LoadIo } from './load.js';

export { loadDataset, describeSource, type DatasetSource, type LoadIo } from './load.js';

/** Loads and summarises a dataset. */
export async function inspectDataset(source: DatasetSource, options: unknown = {}, io: LoadIo = {}): Promise<DatasetSummary> {
  const resolved = resolveOptions(options);
  const loaded = await loadDataset(source, resolved, io);
  io.signal?.throwIfAborted();
  return summarizeLoaded(loaded, resolved);
}

/** Loads a dataset and turns it into training tensors (split, encoded, normalised). */
export async function prepareDataset(source: DatasetSource, options: unknown = {}, io: LoadIo = {}): Promise<PreparedDataset> {
  const resolved = resolveOptions(options);
  const loaded: LoadedDataset = await loadDataset(source, resolved, io);
  io.signal?.throwIfAborted();
  io.onProgress?.({ stage: 'preparing', done: 0, total: 1 });
  const prepared = prepareLoaded(loaded, resolved);
  io.onProgress?.({ stage: 'preparing', done: 1, total: 1 });
  return prepared;
}
