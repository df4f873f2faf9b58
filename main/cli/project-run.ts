/**
 * What `evaluate`, `predict` and `export` share: open a project file, note its warnings, pick the
 * run to use, and turn a bad file, run or dataset into a one-line usage error (exit 2).
 */
import { UsageError } from './command.js';
import { DatasetError } from '../../shared/data/errors.js';
import { ExportError, pickRunToExport } from '../../shared/export/index.js';
import { ProjectError } from '../../shared/project/errors.js';
import type { Project } from '../../shared/project/schema.js';
import type { RunRecord } from '../../shared/runs/results.js';
import { openProject } from '../projects/files.js';

/** Calls `use` with the project at `path` and its chosen run (or `runId`). */
export async function withProjectRun<T>(
  path: string,
  runId: unknown,
  err: (line: string) => void,
  use: (project: Project, run: RunRecord) => Promise<T>,
): Promise<T> {
  try {
    const { project, warnings } = await openProject(path);
    for (const w of warnings) err(`note: ${w.message}`);
    const run = pickRunToExport(project.runs, project.chosenRunId, typeof runId === 'string' ? runId : undefined);
    return await use(project, run);
  } catch (e) {
    if (e instanceof ProjectError || e instanceof ExportError || e instanceof DatasetError) throw new UsageError(e.message);
    throw e;
  }
}
