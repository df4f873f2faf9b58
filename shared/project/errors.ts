/**
 * Why a project file was refused. Each code is a different remedy for the person: a corrupt or
 * truncated file wants its backup, a foreign file is simply not a project, a newer version wants
 * a newer NN Studio, an unsafe or oversized one should not be opened at all.
 */

export type ProjectErrorCode =
  /** Damaged inside: bad checksum, bad compressed data, invalid JSON, a field that fails the schema. */
  | 'corrupt'
  /** Cut short (an interrupted copy or download): the zip's directory or an entry's data is missing. */
  | 'truncated'
  /** Not an NN Studio project: not a zip at all, or a zip without our project.json. */
  | 'foreign'
  /** Written by a newer NN Studio whose format this one cannot read. */
  | 'newer-version'
  /** A project, but an entry project.json names (a run's weights, its history) is not in the file. */
  | 'missing-entry'
  /** An entry name that would escape its folder when extracted (`..`, an absolute path): a zip slip. */
  | 'unsafe-entry'
  /** More data or entries than a project can hold: a zip bomb, or not ours. */
  | 'too-large'
  /** The file cannot be read or written (permissions, disk full, no such file). */
  | 'io';

/** A project file that cannot be opened or saved, with one sentence naming the file and why. */
export class ProjectError extends Error {
  override name = 'ProjectError';
  constructor(
    readonly code: ProjectErrorCode,
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}
