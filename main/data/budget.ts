/**
 * The memory budget: a dataset that would not fit is refused before loading starts, with a
 * message saying how much it needs — not discovered after the machine starts swapping.
 */
import { totalmem } from 'node:os';
import { DatasetError } from '../../shared/data/errors.js';

/** Default budget: half of the machine's memory (the app, the renderer and training need the rest). */
export function defaultMemoryBudget(): number {
  return Math.floor(totalmem() / 2);
}

/** "1.5 GB", "320 MB", "12 KB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * Refuses a load whose estimated memory (`needed`, bytes) exceeds `budget`. `what` describes
 * the input ("a 2.1 GB file").
 */
export function checkMemoryBudget(file: string, needed: number, budget: number, what: string): void {
  if (needed <= budget) return;
  throw new DatasetError({
    code: 'too-large', file,
    expected: `a dataset that fits the memory budget of ${formatBytes(budget)}`,
    found: `${what} that needs about ${formatBytes(needed)} to load`,
    detail: 'use a smaller sample of it, or raise the budget (--memory-budget MB)',
  });
}

/**
 * Bytes a file's data takes once loaded and prepared, per input byte: delimited text stores
 * each cell (at least 2 characters with its delimiter) as 4 bytes, then again as prepared
 * floats → ×4; JSON is parsed into JS values first → ×8; IDX bytes become floats → ×5.
 */
export const MEMORY_PER_FILE_BYTE = { csv: 4, json: 8, idx: 5 } as const;
