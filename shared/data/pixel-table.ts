/**
 * A table of pixel columns read as images: Kaggle's MNIST / Fashion-MNIST CSVs
 * (`label,pixel0,…,pixel783`, one image per row), given an image shape [C, H, W]. The pixel
 * columns are every column but the label, in file order, which is the image's C, H, W order; each
 * cell a whole value 0–255. The label column is the `target` option, else a column named
 * label / class / target (any case), else none (unlabelled images, e.g. Kaggle's test.csv, which
 * can be predicted but not trained on).
 */
import type { LoadedImages, LoadedTable } from './dataset.js';
import { DatasetError } from './errors.js';
import type { ImageSet } from './images.js';
import { formatShape, shapeSize } from './shape.js';
import { cellAt, cellLabel, type Column, type Table } from './table.js';
import { naturalCompare } from './values.js';

const LABEL_NAMES = ['label', 'class', 'target'];

/** The label column of a pixel table: the target option, else one named label/class/target, else none. */
function labelColumn(table: Table, target: string | undefined): Column | null {
  if (target !== undefined) {
    const column = table.columns.find((c) => c.name === target);
    if (!column) {
      throw new DatasetError({
        code: 'unknown-column', file: table.file, expected: `the target column '${target}'`,
        found: `columns ${table.columns.slice(0, 4).map((c) => `'${c.name}'`).join(', ')}${table.columns.length > 4 ? ', …' : ''}`,
      });
    }
    return column;
  }
  return table.columns.find((c) => LABEL_NAMES.includes(c.name.toLowerCase())) ?? null;
}

/**
 * Reads a loaded table as images of `shape` ([C, H, W]). A column count that does not match
 * the shape, or a cell that is not a whole value 0–255, is a DatasetError naming the file (and
 * the line and column).
 */
export function pixelTableToImages(loaded: LoadedTable, shape: readonly [1 | 3, number, number], target?: string): LoadedImages {
  const { table } = loaded;
  const [channels, height, width] = shape;
  const size = shapeSize(shape);
  const label = labelColumn(table, target);
  const pixels = table.columns.filter((c) => c !== label);
  if (pixels.length !== size) {
    throw new DatasetError({
      code: 'bad-option', file: table.file,
      expected: `${size} pixel columns for image shape ${formatShape(shape)}${label ? ` beside the label column '${label.name}'` : ' (no column is named label)'}`,
      found: `${pixels.length} ${label ? 'other ' : ''}columns`,
      detail: pixels.length === size + 1 && !label ? "name the label column with --target (the target option)" : undefined,
    });
  }
  const count = table.rowCount;
  const bytes = new Uint8Array(count * size);
  const plane = height * width;
  pixels.forEach((column, k) => {
    // Column k is value k of the CHW row; ImageSet keeps bytes channels last (HWC).
    const c = Math.floor(k / plane);
    const p = k % plane;
    const at = p * channels + c;
    const values = column.values;
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (!(v >= 0 && v <= 255 && Number.isInteger(v))) {
        const cell = cellAt(column, i);
        throw new DatasetError({
          code: 'bad-value', file: table.file, row: table.lines[i], unit: table.unit, column: column.name,
          expected: 'a whole pixel value from 0 to 255', found: cell === null ? 'nothing' : `'${cellLabel(cell)}'`,
        });
      }
      bytes[i * size + at] = v;
    }
  });
  const { labels, classes } = label ? classLabels(table, label) : { labels: new Int32Array(count), classes: [] };
  const set: ImageSet = {
    width, height, channels, count, pixels: bytes, labels, classes,
    names: Array.from(table.lines, (line) => `${table.file} ${table.unit} ${line}`),
  };
  return {
    kind: 'images', source: loaded.source, name: loaded.name, format: loaded.format, train: set,
    defaultSplit: loaded.defaultSplit, description: loaded.description,
    notes: [...(loaded.notes ?? []), `read as ${count} images of ${formatShape(shape)} from ${size} pixel columns${label ? ` and the label column '${label.name}'` : ' (no label column)'}`],
  };
}

/** Class names (distinct labels, sorted naturally) and each row's index into them; a missing label names its line. */
function classLabels(table: Table, column: Column): { labels: Int32Array; classes: string[] } {
  const text: string[] = new Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    const label = cellLabel(cellAt(column, i));
    if (label === null) {
      throw new DatasetError({ code: 'bad-value', file: table.file, row: table.lines[i], unit: table.unit, column: column.name, expected: 'a class label', found: 'nothing' });
    }
    text[i] = label;
  }
  const classes = [...new Set(text)].sort(naturalCompare);
  const index = new Map(classes.map((c, k) => [c, k]));
  return { labels: Int32Array.from(text, (t) => index.get(t)!), classes };
}
