/**
 * Zip files, read defensively and written with fflate. A project file comes from anywhere (a mail
 * attachment, a download), so reading trusts nothing in it:
 *
 * - the central directory is parsed first, and every entry is judged from it BEFORE any byte is
 *   inflated: names that would escape a folder (`..`, absolute paths, drive letters, NUL) are
 *   refused (zip slip), and the entry count and the total uncompressed size are capped (zip bomb);
 * - each entry is inflated as a stream that stops as soon as it produces more than the size the
 *   directory declared (a bomb that lies about its size), and its CRC-32 is checked;
 * - zip64, encryption and compression methods other than stored/deflate are refused: NN Studio
 *   never writes them, so a file holding them is not one of ours.
 *
 * Pure: bytes in, bytes out (runs in main, the renderer or a worker alike).
 */
import { Inflate, zipSync, type Zippable } from 'fflate';
import { ProjectError } from './errors.js';

/** Caps applied from the central directory, before inflating anything. */
export interface ZipLimits {
  /** Most entries a file may hold. */
  maxEntries: number;
  /** Most bytes all entries may inflate to, together. */
  maxTotalBytes: number;
}

/** Room for any real project (an embedded dataset may be up to 1 GiB), far below what would exhaust memory. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 20_000, maxTotalBytes: 2 * 1024 ** 3 };

/** One entry as the central directory describes it. */
export interface ZipEntryInfo {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  headerOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const END_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
/** Inflate this many compressed bytes at a time, so a lying entry is caught within one chunk. */
const INFLATE_CHUNK = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** True when the bytes begin like a zip (a local file header, or an empty zip's end record). */
function looksLikeZip(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const sig = readU32(bytes, 0);
  return sig === SIG_LOCAL || sig === SIG_END;
}

/**
 * The entries of a zip, from its central directory, after every check that needs no inflating.
 * Throws a ProjectError: 'foreign' (not a zip), 'truncated' (no end record, or data past the end),
 * 'corrupt' (inconsistent records), 'unsafe-entry' (zip slip) or 'too-large' (zip bomb, zip64).
 */
export function listZip(bytes: Uint8Array, file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntryInfo[] {
  const end = findEndRecord(bytes, file);
  const count = readU16(bytes, end + 10);
  const cdSize = readU32(bytes, end + 12);
  const cdOffset = readU32(bytes, end + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff || (end >= 20 && readU32(bytes, end - 20) === SIG_ZIP64_LOCATOR)) {
    throw new ProjectError('too-large', file, 'is a zip64 archive (over 4 GiB or 65,535 entries), which no NN Studio project is');
  }
  if (count > limits.maxEntries) {
    throw new ProjectError('too-large', file, `holds ${count} entries, more than a project may (${limits.maxEntries}); refusing it unopened`);
  }
  if (cdOffset + cdSize > end) {
    throw new ProjectError('truncated', file, 'is truncated: its table of contents points past the end of the file');
  }
  const entries: ZipEntryInfo[] = [];
  const names = new Set<string>();
  let total = 0;
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_SIZE > cdOffset + cdSize || readU32(bytes, at) !== SIG_CENTRAL) {
      throw new ProjectError('corrupt', file, `is damaged: entry ${i + 1} of its table of contents is unreadable`);
    }
    const flags = readU16(bytes, at + 8);
    const method = readU16(bytes, at + 10);
    const nameLength = readU16(bytes, at + 28);
    const extraLength = readU16(bytes, at + 30);
    const commentLength = readU16(bytes, at + 32);
    const name = utf8.decode(bytes.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength));
    const entry: ZipEntryInfo = {
      name,
      method,
      crc32: readU32(bytes, at + 16),
      compressedSize: readU32(bytes, at + 20),
      size: readU32(bytes, at + 24),
      headerOffset: readU32(bytes, at + 42),
    };
    at += CENTRAL_SIZE + nameLength + extraLength + commentLength;
    checkEntryName(name, file);
    if (names.has(name)) throw new ProjectError('corrupt', file, `is damaged: the entry '${name}' appears twice`);
    names.add(name);
    if (flags & 1) throw new ProjectError('foreign', file, `has an encrypted entry '${name}'; NN Studio projects are never encrypted`);
    if (method !== 0 && method !== 8) {
      throw new ProjectError('foreign', file, `uses compression method ${method} for '${name}'; NN Studio projects use stored or deflate only`);
    }
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.headerOffset === 0xffffffff) {
      throw new ProjectError('too-large', file, `is a zip64 archive ('${name}' is over 4 GiB), which no NN Studio project is`);
    }
    total += entry.size;
    if (total > limits.maxTotalBytes) {
      throw new ProjectError('too-large', file,
        `would inflate to more than ${formatSize(limits.maxTotalBytes)} (a zip bomb, or not a project); refusing it unopened`);
    }
    if (entry.headerOffset + LOCAL_SIZE + entry.compressedSize > cdOffset) {
      throw new ProjectError('truncated', file, `is truncated: the data of '${name}' runs past where it should end`);
    }
    entries.push(entry);
  }
  return entries;
}

/**
 * The bytes of one entry, inflated as a stream that stops at the declared size, with its CRC-32
 * checked. `entry` must come from `listZip` on the same bytes.
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntryInfo, file: string): Uint8Array {
  const at = entry.headerOffset;
  if (at + LOCAL_SIZE > bytes.length || readU32(bytes, at) !== SIG_LOCAL) {
    throw new ProjectError('corrupt', file, `is damaged: the entry '${entry.name}' is not where the table of contents says`);
  }
  const start = at + LOCAL_SIZE + readU16(bytes, at + 26) + readU16(bytes, at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new ProjectError('truncated', file, `is truncated: the data of '${entry.name}' is cut short`);
  const data = bytes.subarray(start, end);
  const out = entry.method === 0 ? storedData(data, entry, file) : inflateBounded(data, entry, file);
  if (crc32(out) !== entry.crc32) {
    throw new ProjectError('corrupt', file, `is damaged: the data of '${entry.name}' fails its checksum`);
  }
  return out;
}

/** What to write: entry name → bytes, and whether to compress (weights barely do; JSON does). */
export type ZipContents = Record<string, { data: Uint8Array; compress: boolean }>;

/** A zip of the given entries (deflate level 6 for compressible ones, stored for the rest). */
export function writeZip(contents: ZipContents): Uint8Array {
  const input: Zippable = {};
  for (const [name, { data, compress }] of Object.entries(contents)) {
    checkEntryName(name, 'zip');
    input[name] = [data, { level: compress ? 6 : 0 }];
  }
  return zipSync(input);
}

/**
 * Refuses a name that would land outside the folder it is extracted into: an absolute path
 * (`/x`, `\x`, `C:x`), a `..` segment, or a NUL byte.
 */
export function checkEntryName(name: string, file: string): void {
  const unsafe =
    name.length === 0 ||
    name.includes('\0') ||
    name.startsWith('/') ||
    name.startsWith('\\') ||
    /^[a-zA-Z]:/.test(name) ||
    name.split(/[\\/]/).some((segment) => segment === '..');
  if (unsafe) {
    throw new ProjectError('unsafe-entry', file, `holds an entry named '${name}', which would be written outside its folder (a "zip slip"); refusing it unopened`);
  }
}

function findEndRecord(bytes: Uint8Array, file: string): number {
  if (!looksLikeZip(bytes)) {
    throw new ProjectError('foreign', file, 'is not an NN Studio project (it is not a zip file)');
  }
  // The end record sits in the last 22 bytes, or before a comment of up to 65,535 bytes.
  const lowest = Math.max(0, bytes.length - END_SIZE - 0xffff);
  for (let at = bytes.length - END_SIZE; at >= lowest; at--) {
    if (readU32(bytes, at) === SIG_END && at + END_SIZE + readU16(bytes, at + 20) === bytes.length) return at;
  }
  throw new ProjectError('truncated', file, 'is truncated or damaged: the end of the zip (its table of contents) is missing');
}

function storedData(data: Uint8Array, entry: ZipEntryInfo, file: string): Uint8Array {
  if (data.length !== entry.size) throw new ProjectError('corrupt', file, `is damaged: the stored entry '${entry.name}' has the wrong size`);
  return data;
}

/** Inflates into a buffer of the declared size, stopping the moment the output would exceed it. */
function inflateBounded(data: Uint8Array, entry: ZipEntryInfo, file: string): Uint8Array {
  const out = new Uint8Array(entry.size);
  let written = 0;
  let finished = false;
  const tooBig = () => new ProjectError('too-large', file,
    `is not safe to open: '${entry.name}' inflates to more than the ${entry.size} bytes it declares (a zip bomb)`);
  const inflater = new Inflate((chunk, final) => {
    if (written + chunk.length > out.length) throw tooBig();
    out.set(chunk, written);
    written += chunk.length;
    if (final) finished = true;
  });
  try {
    for (let at = 0; at < data.length; at += INFLATE_CHUNK) {
      inflater.push(data.subarray(at, at + INFLATE_CHUNK), at + INFLATE_CHUNK >= data.length);
    }
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof ProjectError) throw e;
    throw new ProjectError('corrupt', file, `is damaged: the compressed data of '${entry.name}' is invalid (${(e as Error).message})`);
  }
  if (!finished || written !== entry.size) {
    throw new ProjectError('corrupt', file, `is damaged: '${entry.name}' inflates to ${written} bytes, not the ${entry.size} it declares`);
  }
  return out;
}

function readU16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}

function readU32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(0)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (the zip/PNG polynomial 0xEDB88320) of the bytes. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
