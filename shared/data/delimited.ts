/**
 * Pure helpers of the delimited-text reader (main/data/delimited.ts runs PapaParse over a file
 * stream; these decide what the parser alone does not): comment lines, header detection, and
 * which line of the file a parsed row started on.
 */
import { isMissingToken, parseNumber } from './values.js';

/**
 * Removes comment lines from text arriving in chunks, keeping their line breaks so line numbers
 * stay true. A comment is a line starting with '#' followed by a space, a tab, '#', '!' or the
 * end of the line — and any '#' line before the first data line. So "#ff0000,red" in the middle
 * of a file stays data, while "# exported 2024-01-01" is skipped.
 * A UTF-8 byte-order mark at the very start is dropped too.
 */
export class CommentStripper {
  private atLineStart = true;
  private inComment = false;
  private seenData = false;
  private held = '';
  private first = true;

  /** The chunk without comments (may hold back a trailing '#' until the next chunk). */
  push(chunk: string): string {
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    chunk = this.held + chunk;
    this.held = '';
    if (!this.inComment && chunk.indexOf('#') < 0) {
      if (chunk.length > 0) this.track(chunk);
      return chunk;
    }
    let out = '';
    let i = 0;
    while (i < chunk.length) {
      if (this.inComment) {
        const nl = nextLineBreak(chunk, i);
        if (nl < 0) return out;
        this.inComment = false;
        this.atLineStart = true;
        i = nl;
        continue;
      }
      if (this.atLineStart && chunk.charCodeAt(i) === 35 /* # */) {
        if (i + 1 >= chunk.length) {
          this.held = chunk.slice(i);
          return out;
        }
        if (this.isComment(chunk.charCodeAt(i + 1))) {
          this.inComment = true;
          continue;
        }
      }
      const nl = nextLineBreak(chunk, i);
      const end = nl < 0 ? chunk.length : nl + 1;
      const line = chunk.slice(i, end);
      this.track(line);
      out += line;
      i = end;
    }
    return out;
  }

  /** Whatever was held back (a lone '#' at the very end of the text). */
  end(): string {
    const rest = this.held;
    this.held = '';
    return this.isComment(NaN) && rest === '#' ? '' : rest;
  }

  private isComment(next: number): boolean {
    // 32 space, 9 tab, 35 #, 33 !, 10/13 line break, NaN end of text
    return !this.seenData || next === 32 || next === 9 || next === 35 || next === 33 || next === 10 || next === 13 || Number.isNaN(next);
  }

  private track(text: string): void {
    const last = text.charCodeAt(text.length - 1);
    this.atLineStart = last === 10 || last === 13;
    if (!this.seenData && /[^\s]/.test(text)) this.seenData = true;
  }
}

function nextLineBreak(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  const r = text.indexOf('\r', from);
  if (n < 0) return r;
  if (r < 0) return n;
  return Math.min(n, r);
}

/** Lines a parsed row spans: 1 plus the line breaks inside its quoted fields. */
export function lineSpan(row: readonly string[], linebreak: string): number {
  const mark = linebreak === '\r' ? '\r' : '\n';
  let lines = 1;
  for (let c = 0; c < row.length; c++) {
    const v = row[c];
    if (v.length === 0) continue;
    let at = v.indexOf(mark);
    while (at >= 0) {
      lines++;
      at = v.indexOf(mark, at + 1);
    }
  }
  return lines;
}

/** True for a row of nothing: an empty line, or one of blanks (a single field). */
export function isBlankRow(row: readonly string[]): boolean {
  return row.length === 1 && row[0].trim() === '';
}

/**
 * Is the first row a header? Yes when none of its cells is a number and either some column is
 * numeric below it (a label over numbers), or — for an all-text table — none of its labels shows
 * up again in its column. A single row of labels is a header (with no data under it).
 */
export function looksLikeHeader(first: readonly string[], rest: readonly (readonly string[])[], decimalComma = false): boolean {
  const isNumber = (v: string) => !Number.isNaN(parseNumber(v, decimalComma));
  if (first.some(isNumber)) return false;
  if (first.every((v) => isMissingToken(v))) return false;
  if (rest.length === 0) return true;
  for (let c = 0; c < first.length; c++) {
    const values = rest.map((r) => r[c]).filter((v) => v !== undefined && !isMissingToken(v));
    if (values.length > 0 && values.filter(isNumber).length >= 0.8 * values.length) return true;
  }
  return first.every((v, c) => v.trim() === '' || !rest.some((r) => r[c] === v));
}

/** Text encodings a delimited file is read in. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * The encoding of a text file from its first bytes: a byte-order mark says UTF-8 or UTF-16;
 * otherwise UTF-8 when the bytes are valid UTF-8 (a sequence cut at the end of the sample is
 * allowed), else Windows-1252 (Latin-1 plus the printable 0x80–0x9F range), the usual encoding
 * of a spreadsheet exported on Western-European Windows. "München" in Latin-1 is 4D FC 6E…,
 * invalid as UTF-8, so it reads as Windows-1252 instead of as "M\uFFFDnchen".
 */
export function detectTextEncoding(start: Uint8Array): TextEncodingName {
  if (start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) return 'utf-8';
  if (start[0] === 0xff && start[1] === 0xfe) return 'utf-16le';
  if (start[0] === 0xfe && start[1] === 0xff) return 'utf-16be';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(start, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}
