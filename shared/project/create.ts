/**
 * Making projects: an empty one (New), one holding a finished run (`nn-studio train --out`), and
 * the RunConfig a project's current choices describe (what "Train" starts).
 */
import type { DatasetOptions } from '../data/options.js';
import { RunConfig } from '../runs/config.js';
import type { RunRecord } from '../runs/results.js';
import { Project, ProjectSettings, type DatasetRef } from './schema.js';

/** A new, empty project: no dataset, the default choices, no runs. */
export function newProject(name = 'Untitled', now: Date = new Date()): Project {
  return Project.parse({
    name,
    createdAt: now.toISOString(),
    savedAt: null,
    dataset: null,
    settings: ProjectSettings.parse({}),
    runs: [],
    chosenRunId: null,
  });
}

/** A dataset reference to `source` (a path or `sample:NAME`); main fills in its hash and relative path on save. */
export function datasetRef(source: string, options: DatasetOptions = {}): DatasetRef {
  return { source, options, embed: false };
}

/**
 * A project holding one run, chosen, with that run's dataset and choices as the project's own
 * (what `nn-studio train --out FILE.nnstudio` saves). `datasetSource` overrides the run's source
 * (e.g. the absolute path of a file the CLI was given relative to its working folder).
 */
export function createProjectFromRun(record: RunRecord, datasetSource: string = record.config.dataset.source, name?: string): Project {
  const { dataset, ...settings } = record.config;
  const project = newProject(name ?? record.config.name ?? record.data?.name ?? 'Untitled');
  return Project.parse({
    ...project,
    dataset: datasetRef(datasetSource, dataset.options),
    settings,
    runs: [datasetSource === dataset.source ? record : withDatasetSource(record, dataset.source, datasetSource)],
    chosenRunId: record.id,
  });
}

/** The RunConfig the project's current choices describe, or null while it has no dataset. */
export function draftConfig(project: Project): RunConfig | null {
  if (!project.dataset) return null;
  return RunConfig.parse({ ...project.settings, dataset: { source: project.dataset.source, options: project.dataset.options } });
}

/**
 * The run with its dataset source `from` renamed `to` (in its config and its data facts): a
 * project's runs follow their dataset when it is found elsewhere or extracted from the file.
 */
export function withDatasetSource(run: RunRecord, from: string, to: string): RunRecord {
  if (run.config.dataset.source !== from && run.data?.source !== from) return run;
  return {
    ...run,
    config: run.config.dataset.source === from ? { ...run.config, dataset: { ...run.config.dataset, source: to } } : run.config,
    data: run.data && run.data.source === from ? { ...run.data, source: to } : run.data,
  };
}

/** The project with its dataset now at `to` (runs that used the old location follow). */
export function relocateDataset(project: Project, to: string, patch: Partial<DatasetRef> = {}): Project {
  if (!project.dataset) return project;
  const from = project.dataset.source;
  return {
    ...project,
    dataset: { ...project.dataset, ...patch, source: to },
    runs: project.runs.map((r) => withDatasetSource(r, from, to)),
  };
}
