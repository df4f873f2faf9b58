/**
 * Files the OS asks the app to open: the one on the command line, a second launch's (its argv
 * comes to `second-instance`), and macOS's `open-file` (which may come before the app is ready).
 * Before a window exists they wait; then each goes to the target window, brought to the front, as
 * an Open (a project) or an Import (a dataset). Takes Electron's `app` as a parameter, so it is
 * tested under Node with a fake.
 */
import type { App } from 'electron';
import { classifyPath } from '../../shared/file-types.js';
import type { MenuCommand } from '../../shared/ipc/desktop.js';
import { fileFromArgv, type LaunchFile } from './argv.js';

/** What the queue needs of the windows: the target window and how to bring one forward. */
export interface LaunchTargets<W> {
  target(): W;
  bringToFront(win: W): void;
}

export interface LaunchQueue<W> {
  /** Hands the files that waited to `win` (the first window, once it exists). */
  deliverPending(win: W): void;
  /** A file from the OS: to the front window now, or held until the app is ready. */
  open(file: LaunchFile): void;
  /** A second launch's command line: its file, else just bring a window forward. */
  secondInstance(argv: readonly string[], workingDirectory: string): void;
  /** macOS: a file double-clicked in Finder or dropped on the Dock icon. */
  openFile(event: { preventDefault(): void }, path: string): void;
}

/** The menu command that opens `file` in a window. */
export function launchCommand(file: LaunchFile): MenuCommand {
  return file.kind === 'project' ? { command: 'open', path: file.path } : { command: 'import-dataset', paths: [file.path] };
}

export function createLaunchQueue<W extends { send(command: MenuCommand): void }>(
  electron: { app: Pick<App, 'isReady'> },
  options: {
    argv: readonly string[]; cwd: string; defaultApp: boolean; platform: string; windows: LaunchTargets<W>;
    /** Records the person's choice (the OS handed the app this file) before the page hears of it. */
    grant?(file: LaunchFile): void;
  },
): LaunchQueue<W> {
  const { app } = electron;
  const fromArgv = (argv: readonly string[], cwd: string) => fileFromArgv(argv, { defaultApp: options.defaultApp, cwd, platform: options.platform });
  const pending: LaunchFile[] = [];
  const initial = fromArgv(options.argv, options.cwd);
  if (initial) pending.push(initial);

  const handOver = (win: W, file: LaunchFile) => {
    options.grant?.(file);
    win.send(launchCommand(file));
  };
  const open = (file: LaunchFile) => {
    if (!app.isReady()) {
      pending.push(file);
      return;
    }
    const win = options.windows.target();
    options.windows.bringToFront(win);
    handOver(win, file);
  };
  return {
    deliverPending(win) {
      for (const file of pending.splice(0)) handOver(win, file);
    },
    open,
    secondInstance(argv, workingDirectory) {
      const file = fromArgv(argv, workingDirectory);
      if (file) return open(file);
      options.windows.bringToFront(options.windows.target());
    },
    openFile(event, path) {
      event.preventDefault();
      const kind = classifyPath(path);
      if (kind !== 'other') open({ path, kind });
    },
  };
}
