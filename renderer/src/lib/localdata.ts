/**
 * The rows of the current dataset, held in the renderer for what only the renderer draws: the
 * virtualised preview table, data points under a decision boundary or a fitted curve, the rows
 * behind a confusion-matrix cell, the small batch the Inspect page steps through. Training
 * never uses them: the worker loads the data itself from its path.
 *
 * Built-in samples come from the same shared generators the worker uses (so they are identical
 * row for row); a dropped or opened CSV is parsed here with the delimiter and header the
 * backend's summary reported. `prepareLocal` runs the shared preparation (`prepareLoaded`) with
 * the run's options and seed, which gives the same split and the same fitted preprocessing as the
 * worker's — the renderer's live previews map raw values through it.
 */
import type { LoadedTable } from '../../../shared/data/dataset.js';
import { resolveOptions, type DatasetOptions } from '../../../shared/data/options.js';
import { prepareLoaded, type PreparedDataset } from '../../../shared/data/prepare.js';
import { findSample, loadTableSample, sampleName } from '../../../shared/data/samples/index.js';
import { cellAt, TableBuilder, type Table } from '../../../shared/data/table.js';

/** The built-in table sample for a `sample:NAME` source, or null (not a sample, or an image sample). */
export function localSample(source: string): LoadedTable | null {
  const name = sampleName(source);
  if (name === null) return null;
  try {
    return findSample(name).kind === 'table' ? loadTableSample(name) : null;
  } catch {
    return null;
  }
}

/** Collects parsed delimited rows into a table: skips blank rows, takes the header row if told so. */
export class RowCollector {
  private builder: TableBuilder | null = null;
  private line = 0;

  constructor(
    private readonly file: string,
    private readonly header: boolean,
    private readonly decimalComma = false,
  ) {}

  /** Adds rows as the parser gives them (strings per field). */
  add(rows: readonly (readonly string[])[]): void {
    for (const row of rows) {
      this.line++;
      if (row.length === 1 && row[0].trim() === '') continue;
      if (!this.builder) {
        const names = this.header ? row : row.map((_, i) => `col${i + 1}`);
        this.builder = new TableBuilder(this.file, names, 4096, { decimalComma: this.decimalComma });
        if (this.header) continue;
      }
      const width = this.builder.columnCount;
      const cells = row.length === width ? row : Array.from({ length: width }, (_, i) => row[i] ?? '');
      this.builder.addRow(cells, this.line);
    }
  }

  /** The table (empty when nothing but blank lines came). */
  finish(): Table {
    return (this.builder ?? new TableBuilder(this.file, [])).finish();
  }
}

/** A loaded table from a table read here. */
export function loadedTable(source: string, name: string, table: Table): LoadedTable {
  return { kind: 'table', source, name, format: 'csv', table };
}

/**
 * The shared preparation of the local rows with a run's dataset options (seed included), or the
 * error that stops it (the worker would stop on the same one).
 */
export function prepareLocal(loaded: LoadedTable, options: DatasetOptions & { seed?: number }): PreparedDataset | Error {
  try {
    return prepareLoaded(loaded, resolveOptions(options));
  } catch (e) {
    return e as Error;
  }
}

/** A column's values as numbers (NaN where missing or text). */
export function numericColumn(table: Table, name: string): Float32Array | null {
  return table.columns.find((c) => c.name === name)?.values ?? null;
}

/** Row `i` of the table as display strings, in column order. */
export function rowText(table: Table, i: number): string[] {
  return table.columns.map((c) => {
    const cell = cellAt(c, i);
    return cell === null ? '' : typeof cell === 'number' ? String(Number(cell.toPrecision(7))) : cell;
  });
}

/** Row `i` as raw cells keyed by column name (what applyPreprocessing reads). */
export function rowCells(table: Table, i: number): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const c of table.columns) out[c.name] = cellAt(c, i);
  return out;
}
