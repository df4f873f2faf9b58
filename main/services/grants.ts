/**
 * The grant model: the backend touches only files the person chose.
 *
 * A grant is a file or a folder (a folder covers everything beneath it) with read and/or write
 * access. Grants are recorded where a person's choice enters the backend — a native open or save
 * dialog, a drop, Open Recent, the OS opening a file, the web host's workspace and upload folders —
 * and every channel that takes a path asks `check` before anything is read or written.
 *
 * Paths are compared after resolving them with realpath, for the grant and for the request alike,
 * so neither `..` nor a symlink (anywhere along the path) leads outside what was granted. A path
 * that does not exist yet (a save target) is resolved through its deepest existing ancestor.
 */
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { StudioError } from '../../shared/ipc/contract.js';

export type Access = 'read' | 'write';

/** The error name of a refused path; the renderer may switch on it. */
export const NOT_GRANTED = 'NotGranted';

export interface Grant {
  /** The real path (symlinks resolved). */
  path: string;
  kind: 'file' | 'folder';
  access: ReadonlySet<Access>;
}

/** How a refusal tells the person to grant access, which differs between the desktop app and web mode. */
export interface GrantsOptions {
  remedy?: string;
  /**
   * Every path allowed: the CLI, whose paths come from the person's own command line. The checks
   * still resolve paths, so callers do not need two code paths.
   */
  unrestricted?: boolean;
  /** The folder relative paths are resolved from (web mode: the workspace; default: the current folder). */
  base?: string;
}

const DESKTOP_REMEDY = 'open it with File ▸ Open or drop it on the window';

export class Grants {
  private readonly grants: Grant[] = [];
  private readonly remedy: string;
  private readonly unrestricted: boolean;
  private readonly base: string;
  /** The grants being recorded (resolving a path is asynchronous). */
  private pending: Promise<void> = Promise.resolve();

  constructor(options: GrantsOptions = {}) {
    this.remedy = options.remedy ?? DESKTOP_REMEDY;
    this.unrestricted = options.unrestricted ?? false;
    this.base = resolve(options.base ?? '.');
  }

  /** Grants that allow every path (the CLI). */
  static unrestricted(): Grants {
    return new Grants({ unrestricted: true });
  }

  /** Grants `path` with the kind it has on disk (a folder, else a file; nothing there: a file). */
  grantPath(path: string, access: readonly Access[]): Promise<void> {
    return this.enqueue(async () => {
      const kind = await stat(path).then((info): Grant['kind'] => (info.isDirectory() ? 'folder' : 'file'), () => 'file' as const);
      await this.record(path, kind, access);
    });
  }

  /**
   * Grants `path` (a file, or a folder and everything under it). Checks made after this call wait
   * for it, so a grant recorded just before a request (a drop, then its open) is always seen.
   */
  grant(path: string, kind: Grant['kind'], access: readonly Access[]): Promise<void> {
    return this.enqueue(() => this.record(path, kind, access));
  }

  /** Runs `task` after the grants already being recorded; checks wait for it (see `pending`). */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const recorded = this.pending.then(task);
    this.pending = recorded.catch(() => {});
    return recorded;
  }

  private async record(path: string, kind: Grant['kind'], access: readonly Access[]): Promise<void> {
    const real = await realLocation(path);
    const existing = this.grants.findIndex((g) => g.path === real && g.kind === kind);
    if (existing >= 0) {
      this.grants[existing] = { path: real, kind, access: new Set([...this.grants[existing].access, ...access]) };
      return;
    }
    this.grants.push({ path: real, kind, access: new Set(access) });
  }

  /** Every grant, for persisting or showing (the realpaths). */
  list(): readonly Grant[] {
    return this.grants;
  }

  /** True when `path`, once resolved, is covered by a grant with `access`. */
  async allows(path: string, access: Access): Promise<boolean> {
    if (this.unrestricted) return true;
    await this.pending;
    return covered(this.grants, await realLocation(resolve(this.base, path)), access);
  }

  /**
   * Resolves `path` and returns it when a grant covers it with `access`; throws a NotGranted
   * StudioError naming the path otherwise. `what` says what the path is for ('the dataset').
   * Returns the path made absolute (from `base`), not its realpath: a save through a symlink the
   * person chose writes to the file it points to.
   */
  async check(path: string, access: Access, what = 'the file'): Promise<string> {
    const absolute = resolve(this.base, path);
    if (this.unrestricted) return absolute;
    await this.pending;
    if (covered(this.grants, await realLocation(absolute), access)) return absolute;
    const verb = access === 'read' ? 'read' : 'written';
    throw new StudioError(NOT_GRANTED, `${what} ${path} cannot be ${verb}: it was not chosen in this session; ${this.remedy}`);
  }
}

function covered(grants: readonly Grant[], real: string, access: Access): boolean {
  return grants.some((g) => g.access.has(access) && (g.path === real || (g.kind === 'folder' && isInside(g.path, real))));
}

/** True when `path` is strictly inside `folder` (both absolute and resolved). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel);
}

/**
 * Where `path` really is: its realpath when it exists, else the realpath of its deepest existing
 * ancestor joined with the rest (so a save target that does not exist yet resolves as well). A
 * dangling symlink is followed to where it points: writing through it would create that file.
 */
export async function realLocation(path: string): Promise<string> {
  let absolute = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const rest: string[] = [];
    let current = absolute;
    let dangling: string | null = null;
    for (;;) {
      try {
        const real = await realpath(current);
        return rest.length ? join(real, ...rest.reverse()) : real;
      } catch {
        const link = await lstat(current).then((s) => (s.isSymbolicLink() ? readlink(current) : null), () => null);
        if (link !== null) {
          dangling = resolve(dirname(current), link);
          break;
        }
        const parent = dirname(current);
        if (parent === current) return absolute;
        rest.push(basename(current));
        current = parent;
      }
    }
    if (dangling === null) return absolute;
    absolute = rest.length ? join(dangling, ...rest.reverse()) : dangling;
  }
  throw new StudioError(NOT_GRANTED, `${path} cannot be used: it is a loop of symbolic links`);
}
