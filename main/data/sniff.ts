/**
 * What a file holds, judged by its content and not its name: a renamed file is read for what it
 * is, and binary junk named `.csv` is refused with a message instead of parsed into garbage.
 */
import { open } from 'node:fs/promises';
import { looksLikeIdx } from '../../shared/data/idx.js';

export type SniffedFormat = 'empty' | 'delimited' | 'json' | 'idx' | 'gzip' | 'zip' | 'image' | 'binary';

export interface Sniffed {
  format: SniffedFormat;
  size: number;
  /** For 'binary': the offset of the first byte that cannot be text, and its value. */
  badByte?: number;
  badValue?: number;
}

/** Bytes looked at. */
const HEAD = 64 * 1024;

/** Reads the first 64 KB of a file and tells its format. */
export async function sniffFile(path: string): Promise<Sniffed> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const head = new Uint8Array(Math.min(HEAD, size));
    await handle.read(head, 0, head.length, 0);
    return { size, ...sniffBytes(head) };
  } finally {
    await handle.close();
  }
}

/** The format of a file from its first bytes. */
export function sniffBytes(head: Uint8Array): Omit<Sniffed, 'size'> {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (head.length === 0) return { format: 'empty' };
  if (starts(0x1f, 0x8b)) return { format: 'gzip' };
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return { format: 'zip' };
  if (starts(0x89, 0x50, 0x4e, 0x47) || starts(0xff, 0xd8, 0xff)) return { format: 'image' };
  if (looksLikeIdx(head)) return { format: 'idx' };
  // UTF-16 text (with its byte-order mark) is half NUL bytes, yet text: the CSV reader decodes it.
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) return { format: 'delimited' };
  const badByte = firstNonTextByte(head);
  if (badByte >= 0) return { format: 'binary', badByte, badValue: head[badByte] };
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (i === head.length) return { format: 'empty' };
  if (head[i] === 0x5b /* [ */ || head[i] === 0x7b /* { */) return { format: 'json' };
  return { format: 'delimited' };
}

/**
 * Offset of the first byte text does not have (NUL, or a control character other than tab,
 * line breaks, form feed and escape), or -1. UTF-8 and Latin-1 text both pass.
 */
function firstNonTextByte(head: Uint8Array): number {
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) return i;
  }
  return -1;
}
