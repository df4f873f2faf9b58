/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun's "THE IDX FILE FORMAT"): a 4-byte magic
 * number — two zero bytes, a data type byte, the number of dimensions — then one big-endian
 * int32 per dimension, then the values, big-endian, last dimension fastest.
 *   images: 0x00000803, dims [count, rows, columns], unsigned bytes
 *   labels: 0x00000801, dims [count], unsigned bytes
 * Decompressing `.gz` happens in main/data/idx.ts; this file parses bytes.
 */
import { DatasetError } from './errors.js';
import type { ImageSet } from './images.js';
import { naturalCompare } from './values.js';

const TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'unsigned byte', bytes: 1 },
  0x09: { name: 'signed byte', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
};

export interface IdxArray {
  file: string;
  /** The data type byte (0x08 unsigned byte … 0x0E float64). */
  type: number;
  dims: number[];
  /** Unsigned bytes as they are (no copy); other types converted to numbers. */
  data: Uint8Array | Float64Array;
}

const EXPECTED_MAGIC = 'an IDX file starting with two zero bytes, a type byte (0x08 to 0x0E) and a dimension count (e.g. 0x00000803 for images, 0x00000801 for labels)';

/** True when the first bytes look like an IDX header (used to sniff a file's format). */
export function looksLikeIdx(head: Uint8Array): boolean {
  return head.length >= 8 && head[0] === 0 && head[1] === 0 && head[2] in TYPES && head[3] >= 1 && head[3] <= 4;
}

/** Parses one IDX file's bytes; a wrong magic number or missing bytes is a DatasetError naming the file. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || !(bytes[2] in TYPES) || bytes[3] < 1 || bytes[3] > 4) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
    throw new DatasetError({ code: 'idx-magic', file, expected: EXPECTED_MAGIC, found: `magic number 0x${magic || '(nothing)'}` });
  }
  const type = bytes[2];
  const ndims = bytes[3];
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DatasetError({ code: 'idx-truncated', file, expected: `a ${headerBytes}-byte header`, found: `${bytes.length} bytes` });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const { bytes: size, name } = TYPES[type];
  const count = dims.reduce((a, b) => a * b, 1);
  const needed = headerBytes + count * size;
  if (bytes.length < needed) {
    throw new DatasetError({
      code: 'idx-truncated', file,
      expected: `${count * size} bytes of ${name} data for dimensions ${dims.join('×')}`,
      found: `${bytes.length - headerBytes} (the file is cut short)`,
    });
  }
  if (type === 0x08) return { file, type, dims, data: bytes.subarray(headerBytes, needed) };
  const data = new Float64Array(count);
  for (let i = 0, p = headerBytes; i < count; i++, p += size) {
    switch (type) {
      case 0x09: data[i] = view.getInt8(p); break;
      case 0x0b: data[i] = view.getInt16(p, false); break;
      case 0x0c: data[i] = view.getInt32(p, false); break;
      case 0x0d: data[i] = view.getFloat32(p, false); break;
      default: data[i] = view.getFloat64(p, false);
    }
  }
  return { file, type, dims, data };
}

/** True for an IDX array of labels (one dimension). */
export function isIdxLabels(a: IdxArray): boolean {
  return a.dims.length === 1;
}

/**
 * Pairs an images file with a labels file into labelled images; with a second pair, that pair is
 * the test set (IDX datasets keep their own test set). Classes are the distinct labels of both,
 * sorted by value; labels become indices into them.
 */
export function idxToImageSets(
  train: { images: IdxArray; labels: IdxArray },
  test?: { images: IdxArray; labels: IdxArray },
): { train: ImageSet; test?: ImageSet } {
  const pairs = test ? [train, test] : [train];
  const shapes = pairs.map((p) => imageShape(p.images));
  pairs.forEach((p) => checkPair(p.images, p.labels));
  if (test && (shapes[0].width !== shapes[1].width || shapes[0].height !== shapes[1].height || shapes[0].channels !== shapes[1].channels)) {
    throw new DatasetError({
      code: 'idx-set', file: test.images.file,
      expected: `images of ${describeShape(shapes[0])} like ${train.images.file}`, found: describeShape(shapes[1]),
    });
  }
  const values = new Set<number>();
  for (const p of pairs) for (let i = 0; i < p.labels.data.length; i++) values.add(p.labels.data[i]);
  const classes = [...values].map(String).sort(naturalCompare);
  const indexOf = new Map(classes.map((c, i) => [Number(c), i]));
  const toSet = (p: { images: IdxArray; labels: IdxArray }, shape: Shape): ImageSet => ({
    ...shape,
    count: p.labels.dims[0],
    pixels: p.images.data as Uint8Array,
    labels: Int32Array.from(p.labels.data, (v) => indexOf.get(v)!),
    classes,
  });
  return { train: toSet(train, shapes[0]), test: test ? toSet(test, shapes[1]) : undefined };
}

interface Shape {
  width: number;
  height: number;
  channels: 1 | 3;
}

function describeShape(s: Shape): string {
  return `${s.width}×${s.height}${s.channels === 3 ? ' RGB' : ''}`;
}

/** [count, features] → 1 × features; [count, rows, cols] → gray; [count, rows, cols, 1|3]. */
function imageShape(images: IdxArray): Shape {
  const d = images.dims;
  if (images.type !== 0x08) {
    throw new DatasetError({ code: 'idx-set', file: images.file, expected: 'images of unsigned bytes (type 0x08)', found: `type 0x${images.type.toString(16).padStart(2, '0')}` });
  }
  if (d.length === 2) return { width: d[1], height: 1, channels: 1 };
  if (d.length === 3) return { width: d[2], height: d[1], channels: 1 };
  if (d.length === 4 && (d[3] === 1 || d[3] === 3)) return { width: d[2], height: d[1], channels: d[3] as 1 | 3 };
  throw new DatasetError({
    code: 'idx-set', file: images.file,
    expected: 'images with dimensions count×rows×columns (optionally ×1 or ×3 channels)', found: `dimensions ${d.join('×')}`,
  });
}

function checkPair(images: IdxArray, labels: IdxArray): void {
  if (!isIdxLabels(labels)) {
    throw new DatasetError({ code: 'idx-set', file: labels.file, expected: 'a labels file (one dimension)', found: `dimensions ${labels.dims.join('×')}` });
  }
  if (images.dims[0] !== labels.dims[0]) {
    throw new DatasetError({
      code: 'idx-count-mismatch', file: labels.file,
      expected: `one label per image (${images.file} has ${images.dims[0]} images)`, found: `${labels.dims[0]} labels`,
    });
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (!Number.isInteger(labels.data[i])) {
      throw new DatasetError({ code: 'bad-value', file: labels.file, row: i + 1, unit: 'record', expected: 'an integer class label', found: String(labels.data[i]) });
    }
  }
}
