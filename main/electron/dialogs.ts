/**
 * The native open/save dialogs' options, as data built from the file types: which properties
 * (files, several files, a folder), which filters, which suggested name. Pure; main/index.ts
 * passes them to Electron's `dialog` and post-processes the answer with `savedPath`.
 */
import { datasetFilters, defaultFileName, exportFilters, exportFormat, PROJECT_EXTENSION, projectFilters, withExtension, type FileFilter } from '../../shared/file-types.js';
import type { ParsedRequestOf } from '../../shared/ipc/contract.js';

type OpenKind = ParsedRequestOf<'dialog:open'>['kind'];
type SaveRequest = ParsedRequestOf<'dialog:save'>;
type OpenProperty = 'openFile' | 'openDirectory' | 'multiSelections';

export interface OpenDialogSpec {
  title: string;
  properties: OpenProperty[];
  filters?: FileFilter[];
}

export interface SaveDialogSpec {
  title: string;
  defaultPath: string;
  filters: FileFilter[];
}

/**
 * Options for opening a project or a dataset. A dataset may be several files (an IDX images file
 * and its labels file); on macOS one dialog can also pick a folder, elsewhere folders have their
 * own dialog ('dataset-folder') because Windows and GTK cannot mix the two.
 */
export function openDialogSpec(kind: OpenKind, platform: string): OpenDialogSpec {
  switch (kind) {
    case 'project':
      return { title: 'Open Project', properties: ['openFile'], filters: projectFilters() };
    case 'dataset':
      return {
        title: 'Import Dataset',
        properties: platform === 'darwin' ? ['openFile', 'openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
        filters: datasetFilters(),
      };
    case 'dataset-folder':
      return { title: 'Import Dataset Folder', properties: ['openDirectory'] };
    case 'result-folder':
      return { title: 'Import Results (the folder train.py wrote)', properties: ['openDirectory'] };
    default:
      throw new Error(`unknown open dialog ${JSON.stringify(kind)}`);
  }
}

/** Options for saving the project or exporting the model, with a suggested file name. */
export function saveDialogSpec(request: SaveRequest): SaveDialogSpec {
  const name = request.defaultName ?? 'Untitled';
  if (request.kind === 'project') {
    return { title: 'Save Project', defaultPath: defaultFileName(name, PROJECT_EXTENSION), filters: projectFilters() };
  }
  if (!request.format) throw new Error('an export needs a format');
  const spec = exportFormat(request.format);
  return { title: `Export Model — ${spec.name}`, defaultPath: spec.defaultName, filters: exportFilters(request.format) };
}

/** The path a save dialog returned, with the expected extension ensured (GTK does not add it). */
export function savedPath(request: SaveRequest, path: string): string {
  const extensions = request.kind === 'project' ? [PROJECT_EXTENSION] : [...exportFormat(request.format!).extensions];
  return withExtension(path, extensions);
}
