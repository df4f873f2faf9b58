/**
 * Files and folders dropped on the window (or picked with an <input type=file>) become paths in
 * the preload, through Electron's `webUtils.getPathForFile`: the path comes from the browser's
 * own File object, never from a string the page supplies. Pure: the resolver is passed in.
 */
import { classifyPath, type PathKind } from '../../shared/file-types.js';

export interface DroppedPath {
  path: string;
  kind: PathKind;
}

/**
 * The on-disk paths of `files` in drop order, each once, with what each is. Anything that is not
 * a file from the disk is left out: a File the page built itself has no path (the resolver gives
 * ''), and a non-File makes the resolver throw.
 */
export function collectDroppedPaths(files: ArrayLike<unknown>, resolve: (file: unknown) => string): DroppedPath[] {
  const seen = new Set<string>();
  const paths: DroppedPath[] = [];
  for (const file of Array.from(files)) {
    let path: string;
    try {
      path = resolve(file);
    } catch {
      continue;
    }
    if (typeof path !== 'string' || path === '' || seen.has(path)) continue;
    seen.add(path);
    paths.push({ path, kind: classifyPath(path) });
  }
  return paths;
}
