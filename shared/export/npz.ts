/**
 * NumPy's `.npz` (what `np.savez` writes): a zip of `.npy` files, one per array. A `.npy` file is
 *   "\x93NUMPY" 1 0 <header length, u16 LE> "{'descr': '<f4', 'fortran_order': False, 'shape': (r, c), }"
 *   padded with spaces and a newline to a multiple of 64 bytes, then the data (little-endian, C order).
 */
import { writeZip, type ZipContents } from '../project/zip.js';

/** One float32 array of the given shape (row-major). */
export interface NpyArray {
  data: Float32Array;
  shape: number[];
}

/** The `.npy` bytes of a float32 array. */
export function npy({ data, shape }: NpyArray): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${dims}, }`;
  const preamble = 10; // magic (6) + version (2) + header length (2)
  header += ' '.repeat(64 - ((preamble + header.length + 1) % 64 || 64)) + '\n';
  const bytes = new Uint8Array(preamble + header.length + data.length * 4);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) bytes[preamble + i] = header.charCodeAt(i);
  const view = new DataView(bytes.buffer, preamble + header.length);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return bytes;
}

/** An `.npz` archive of named arrays (`np.load(path)[name]`). */
export function npz(arrays: Record<string, NpyArray>): Uint8Array {
  const contents: ZipContents = {};
  for (const [name, array] of Object.entries(arrays)) contents[`${name}.npy`] = { data: npy(array), compress: false };
  return writeZip(contents);
}
