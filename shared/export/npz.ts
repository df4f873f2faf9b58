/**
 * NumPy's `.npz` (what `np.savez` writes): a zip of `.npy` files, one per array. A `.npy` file is
 *   "\x93NUMPY" 1 0 <header length, u16 LE> "{'descr': '<f4', 'fortran_order': False, 'shape': (r, c), }"
 *   padded with spaces and a newline to a multiple of 64 bytes, then the data (little-endian, C order).
 */
import { listZip, readZipEntry, writeZip, type ZipContents } from '../project/zip.js';

/** One float32 (or int32) array of the given shape (row-major). */
export interface NpyArray {
  data: Float32Array | Int32Array;
  shape: number[];
}

/** The `.npy` bytes of a float32 or int32 array. */
export function npy({ data, shape }: NpyArray): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const int = data instanceof Int32Array;
  let header = `{'descr': '${int ? '<i4' : '<f4'}', 'fortran_order': False, 'shape': ${dims}, }`;
  const preamble = 10; // magic (6) + version (2) + header length (2)
  header += ' '.repeat(64 - ((preamble + header.length + 1) % 64 || 64)) + '\n';
  const bytes = new Uint8Array(preamble + header.length + data.length * 4);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) bytes[preamble + i] = header.charCodeAt(i);
  const view = new DataView(bytes.buffer, preamble + header.length);
  for (let i = 0; i < data.length; i++) {
    if (int) view.setInt32(i * 4, data[i], true);
    else view.setFloat32(i * 4, data[i], true);
  }
  return bytes;
}

/** An `.npz` archive of named arrays (`np.load(path)[name]`). */
export function npz(arrays: Record<string, NpyArray>): Uint8Array {
  const contents: ZipContents = {};
  for (const [name, array] of Object.entries(arrays)) contents[`${name}.npy`] = { data: npy(array), compress: false };
  return writeZip(contents);
}

/** An array read back from a `.npy` file: its values as float32 (any float or int dtype), and its shape. */
export interface ReadArray {
  data: Float32Array;
  shape: number[];
}

const NPY_DTYPES: Record<string, { bytes: number; read: (v: DataView, at: number) => number }> = {
  '<f4': { bytes: 4, read: (v, at) => v.getFloat32(at, true) },
  '<f8': { bytes: 8, read: (v, at) => v.getFloat64(at, true) },
  '<i4': { bytes: 4, read: (v, at) => v.getInt32(at, true) },
  '<i8': { bytes: 8, read: (v, at) => Number(v.getBigInt64(at, true)) },
};

/** Reads a little-endian, C-order `.npy` file of floats or ints (what `np.save` writes); throws naming `file` otherwise. */
export function readNpy(bytes: Uint8Array, file: string): ReadArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new Error(`${file}: not a NumPy .npy array`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes[8] | (bytes[9] << 8) : new DataView(bytes.buffer, bytes.byteOffset + 8, 4).getUint32(0, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  const dtype = descr ? NPY_DTYPES[descr] : undefined;
  if (!dtype || fortran || shapeText === undefined) {
    throw new Error(`${file}: expected a C-order array of ${Object.keys(NPY_DTYPES).join(', ')}, found ${header.trim()}`);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  if (bytes.length < dataStart + count * dtype.bytes) throw new Error(`${file}: the array is cut short (${shape.join('×')} ${descr} declared)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, count * dtype.bytes);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = dtype.read(view, i * dtype.bytes);
  return { data, shape };
}

/** The arrays of an `.npz` archive by name (`flat.npy` → `flat`). */
export function readNpz(bytes: Uint8Array, file: string): Record<string, ReadArray> {
  const arrays: Record<string, ReadArray> = {};
  for (const entry of listZip(bytes, file)) {
    if (!entry.name.endsWith('.npy')) continue;
    arrays[entry.name.slice(0, -4)] = readNpy(readZipEntry(bytes, entry, file), `${file}: ${entry.name}`);
  }
  return arrays;
}
