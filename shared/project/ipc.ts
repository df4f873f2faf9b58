/**
 * The `project:*` and `export:run` channels, as the contract's entries (request and response
 * schemas), written to move verbatim into shared/ipc/contract.ts's `invokeChannels`. The backend
 * answers them with main/projects/service.ts (ProjectService) and main/export (exportRun).
 *
 * Save and Save As are one channel: Save As is a save to a path the person chose (`dialog:save`).
 * Open Recent is `project:open` with a path from the recent list.
 */
import { z } from 'zod';
import { DatasetOptions } from '../data/options.js';
import { ExportFormat } from '../export/formats.js';
import { Project, ProjectWarning, RecoveryOffer } from './schema.js';

const Path = z.string().min(1).max(4096);

/** What Open and Recover give: the project, where it lives (null: never saved), and what to tell the person. */
export const LoadedProject = z.object({ path: Path.nullable(), project: Project, warnings: z.array(ProjectWarning) });
export type LoadedProject = z.infer<typeof LoadedProject>;

/** What to export: a finished run (by id, as the run manager knows it) in one format. */
const ExportRequest = z.object({
  runId: z.string().min(1).max(64),
  format: ExportFormat,
  /** The model's name in file headers and metadata (default: the file's stem). */
  name: z.string().max(255).optional(),
  /** 'csv': the dataset to predict (default: the run's own). */
  data: z.object({ source: Path, options: DatasetOptions.default({}) }).optional(),
  pythonWeights: z.enum(['inline', 'npz']).default('inline'),
});

/** A file the backend wrote for the browser to download: its one-time id, the name to save it as, its size. */
export const StagedDownload = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/), name: z.string(), bytes: z.number().int().min(0) });
export type StagedDownload = z.infer<typeof StagedDownload>;

export const projectInvokeChannels = {
  /** A new empty project (nothing is written). */
  'project:new': { request: z.object({ name: z.string().min(1).max(255).optional() }), response: Project },
  /** Opens a project file, fully validated first; a bad file is a `ProjectError` and nothing changes. */
  'project:open': { request: z.object({ path: Path }), response: LoadedProject },
  /**
   * Saves atomically to `path` (Save: the project's own path; Save As: the chosen one) and drops
   * the autosave of the work (`previousPath`: where it was before, null if untitled).
   */
  'project:save': {
    request: z.object({ path: Path, project: Project, previousPath: Path.nullable().default(null) }),
    response: z.object({ path: Path, project: Project }),
  },
  /** Writes the recovery copy of unsaved work (the renderer calls it every few minutes while dirty). */
  'project:autosave': {
    request: z.object({
      path: Path.nullable(),
      project: Project,
      /** A browser tab's own id for its untitled work (kept across reloads), so two tabs never share an autosave. */
      session: z.string().regex(/^[0-9a-f]{16,64}$/).optional(),
    }),
    response: z.object({ key: z.string() }),
  },
  /** Drops the recovery copy (closing or discarding unsaved work). */
  'project:discardAutosave': { request: z.object({ path: Path.nullable() }), response: z.null() },
  /** Autosaves left by an app that did not end cleanly: offer them at start-up. */
  'project:recoveryOffers': { request: z.undefined(), response: z.array(RecoveryOffer) },
  'project:recover': { request: z.object({ key: z.string() }), response: LoadedProject },
  'project:discardRecovery': { request: z.object({ key: z.string() }), response: z.null() },
  /** The person's answer to "the dataset moved": its new path; runs that used it follow. */
  'project:locateDataset': {
    request: z.object({ project: Project, datasetPath: Path, projectPath: Path.nullable() }),
    response: z.object({ project: Project, warnings: z.array(ProjectWarning) }),
  },
  /** Exports a finished run (by id, as the run manager knows it) to `path`; returns the files written. */
  'export:run': { request: ExportRequest.extend({ path: Path }), response: z.object({ files: z.array(Path) }) },
  /**
   * Web mode's Save: the project written for the browser to download (GET /download?id=…); the
   * page names no path on the server. Its recovery copy stays (a reload brings the work back).
   */
  'project:download': { request: z.object({ project: Project }), response: StagedDownload },
  /** Web mode's Export: the files written for the browser to download (several as one zip). */
  'export:download': { request: ExportRequest, response: StagedDownload.extend({ files: z.array(z.string()) }) },
} as const;
