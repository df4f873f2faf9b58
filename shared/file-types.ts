/**
 * The kinds of files the desktop app opens and writes, as data: the project format, the dataset
 * formats, the export formats, and the native dialogs' filters built from them. Pure (no Electron,
 * no Node), so the preload, main and the tests share one definition.
 */
import { EXPORT_FORMATS, EXPORT_FORMAT_IDS, type ExportFormat } from './export/formats.js';

/** A project file's extension (without the dot) and the MIME type the installers register for it. */
export const PROJECT_EXTENSION = 'nnstudio';
export const PROJECT_MIME_TYPE = 'application/x-nnstudio';

/** Dataset files the studio reads: delimited text, JSON, IDX (raw or gzipped), zipped image folders, images. */
export const DATASET_EXTENSIONS = ['csv', 'tsv', 'txt', 'json', 'idx', 'gz', 'zip', 'png', 'jpg', 'jpeg'] as const;

/** MNIST-style IDX files usually carry no extension: `train-images-idx3-ubyte`, `t10k-labels.idx1-ubyte`. */
const IDX_NAME = /[-.]idx\d-ubyte(\.gz)?$/i;

/** Where a trained model can go (defined with the exporters; re-exported for the dialogs). */
export { EXPORT_FORMATS, EXPORT_FORMAT_IDS };
export type ExportFormatId = ExportFormat;

/** One entry of a native dialog's file-type list (the shape Electron's `FileFilter` has). */
export interface FileFilter {
  name: string;
  extensions: string[];
}

const ALL_FILES: FileFilter = { name: 'All files', extensions: ['*'] };
const PROJECT_FILTER: FileFilter = { name: 'NN Studio project', extensions: [PROJECT_EXTENSION] };

/** Filters for opening a project. */
export function projectFilters(): FileFilter[] {
  return [PROJECT_FILTER];
}

/**
 * Filters for importing a dataset. "All files" stays last because IDX files usually have no
 * extension, so no extension filter can select them.
 */
export function datasetFilters(): FileFilter[] {
  return [
    { name: 'Datasets', extensions: [...DATASET_EXTENSIONS] },
    { name: 'Delimited text (CSV, TSV, TXT)', extensions: ['csv', 'tsv', 'txt'] },
    { name: 'JSON', extensions: ['json'] },
    { name: 'IDX / MNIST (raw or .gz)', extensions: ['idx', 'gz'] },
    { name: 'Zipped image folder', extensions: ['zip'] },
    { name: 'Images', extensions: ['png', 'jpg', 'jpeg'] },
    ALL_FILES,
  ];
}

/** The filter for saving one export format. */
export function exportFilters(format: ExportFormatId): FileFilter[] {
  const spec = exportFormat(format);
  return [{ name: spec.name, extensions: [...spec.extensions] }];
}

/** The export format with this id (throws on an unknown id: the ids come from a schema). */
export function exportFormat(format: ExportFormatId): (typeof EXPORT_FORMATS)[number] {
  const spec = EXPORT_FORMATS.find((f) => f.id === format);
  if (!spec) throw new Error(`unknown export format ${JSON.stringify(format)}`);
  return spec;
}

/** The last path segment, for either separator (paths may come from Windows or POSIX). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? '';
}

/** A file's extension, lower case, without the dot; '' when it has none. */
export function extensionOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export type PathKind = 'project' | 'dataset' | 'other';

/**
 * What a path from a drop, the command line or the OS is, judged by its name alone (the sandboxed
 * preload cannot look at the disk): a project, something the dataset importer reads (a folder or
 * an extensionless IDX file included), or something else.
 */
export function classifyPath(path: string): PathKind {
  const ext = extensionOf(path);
  if (ext === PROJECT_EXTENSION) return 'project';
  if (ext === '' || IDX_NAME.test(baseName(path))) return 'dataset';
  return (DATASET_EXTENSIONS as readonly string[]).includes(ext) ? 'dataset' : 'other';
}

/**
 * The path a save dialog returned, with the format's extension added when the person typed a
 * name without one (GTK's dialog does not add it; macOS and Windows do).
 */
export function withExtension(path: string, extensions: readonly string[]): string {
  const ext = extensionOf(path);
  return extensions.includes(ext) || extensions.includes('*') ? path : `${path}.${extensions[0]}`;
}

/** A file name for a save dialog's default: the project's name made safe on every OS, plus the extension. */
export function defaultFileName(name: string, extension: string): string {
  const safe = name.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/[. ]+$/, '').trim();
  const stem = safe || 'Untitled';
  return stem.toLowerCase().endsWith(`.${extension}`) ? stem : `${stem}.${extension}`;
}
