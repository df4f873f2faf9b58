/**
 * What the keyboard shortcuts and the header's buttons do — one place, so Ctrl/Cmd+Enter and the
 * Train button cannot drift apart.
 */
import type { ShortcutAction } from '../lib/shortcuts.js';
import { design } from './model.svelte.js';
import { runs } from './runs.svelte.js';
import { ui } from './ui.svelte.js';
import { project } from './project.svelte.js';
import { data } from './data.svelte.js';
import { droppedPaths, hasLocalPaths, localPath } from '../lib/files.js';

const isProjectFile = (file: File) => /\.nnstudio$/i.test(file.name);

class Commands {
  /** Opens the file picker; the header registers it (it owns the hidden <input type=file>). */
  openPicker: (() => void) | null = null;
  /** Problem of the last Train press (a form field), shown by the Train page. */
  trainProblem = $state<string | null>(null);

  async run(action: ShortcutAction): Promise<void> {
    switch (action) {
      case 'open':
        this.openPicker?.();
        return;
      case 'save':
        await project.save();
        return;
      case 'train':
        await this.train();
        return;
      case 'stop': {
        const active = runs.active();
        if (active) await runs.stop(active.id);
        return;
      }
    }
  }

  /**
   * Something dropped on the window. In the desktop app a .nnstudio file opens as the project and
   * anything else by its path as the dataset; in a browser the files are uploaded (data store).
   */
  async drop(transfer: DataTransfer): Promise<void> {
    const projectUpload = !hasLocalPaths() && [...transfer.files].find(isProjectFile);
    if (projectUpload) return project.openUploaded(projectUpload);
    const paths = droppedPaths([...transfer.files]);
    const projectFile = paths.find((p) => p.kind === 'project');
    if (projectFile) return project.open(projectFile.path);
    ui.open('data');
    const dataset = paths.find((p) => p.kind === 'dataset');
    // One item: open it as a File too, so a CSV's rows can also be read here for the previews.
    if (dataset && transfer.files.length === 1) return data.openFile(transfer.files[0]);
    if (dataset) return data.reopen(dataset.path, dataset.path.replace(/^.*[\\/]/, ''), {});
    return data.openDropped(transfer);
  }

  /** Files picked with Open… (several at once, or a folder's): a project file opens as the project, the rest as one dataset. */
  async openFiles(files: readonly File[]): Promise<void> {
    const projectFile = files.find(isProjectFile);
    if (projectFile) return this.openFile(projectFile);
    ui.open('data');
    return data.openFiles(files);
  }

  /** A file picked with Open…: a project file opens as the project, anything else as the dataset. */
  async openFile(file: File): Promise<void> {
    if (!isProjectFile(file)) return data.openFile(file);
    if (hasLocalPaths()) return project.open(localPath(file));
    return project.openUploaded(file);
  }

  /** Starts a run with the current data, model and training settings, and shows the Train page. */
  async train(): Promise<void> {
    const built = design.runConfig();
    if ('problem' in built) {
      this.trainProblem = built.problem;
      ui.open('train');
      return;
    }
    this.trainProblem = null;
    ui.open('train');
    await runs.start(built.config);
  }
}

export const commands = new Commands();
