/**
 * The file a launch asks to open. The OS starts the app with the file's path when a `.nnstudio`
 * project (or a dataset, via "Open with") is double-clicked; a second launch hands its argv to the
 * running instance (`second-instance`); macOS sends `open-file` instead. Pure: no Electron.
 */
import { classifyPath, type PathKind } from '../../shared/file-types.js';

export interface LaunchFile {
  path: string;
  kind: Exclude<PathKind, 'other'>;
}

/** Joins a relative path onto a working directory, for either platform's separators. */
function absolute(path: string, cwd: string, platform: string): string {
  const isAbsolute = platform === 'win32' ? /^([a-zA-Z]:[\\/]|\\\\)/.test(path) : path.startsWith('/');
  if (isAbsolute) return path;
  const sep = platform === 'win32' ? '\\' : '/';
  const stripped = path.replace(/^\.[\\/]/, '');
  return cwd.endsWith(sep) || cwd.endsWith('/') ? `${cwd}${stripped}` : `${cwd}${sep}${stripped}`;
}

/**
 * The first project or dataset named on the command line, made absolute against `cwd`.
 *
 * `argv[0]` is the executable; an unpackaged app (`electron .`, `npm start`) also has the app's
 * folder as `argv[1]` (`defaultApp`). Switches (`--inspect`, Chromium's `--allow-file-access…`,
 * macOS's `-psn_…`) are skipped, and so is anything that is neither a project nor a dataset.
 */
export function fileFromArgv(argv: readonly string[], options: { defaultApp: boolean; cwd: string; platform: string }): LaunchFile | null {
  const args = argv.slice(options.defaultApp ? 2 : 1);
  for (const arg of args) {
    if (arg === '' || arg.startsWith('-')) continue;
    const kind = classifyPath(arg);
    // A bare word with no extension (a stray argument) is not taken for an IDX file or folder:
    // only a path-looking argument is.
    if (kind === 'other' || (kind === 'dataset' && !/[\\/.]/.test(arg))) continue;
    return { path: absolute(arg, options.cwd, options.platform), kind };
  }
  return null;
}
