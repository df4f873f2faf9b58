/**
 * Reads delimited text (CSV, TSV, semicolon- or pipe-separated) by streaming: the file is read
 * in 1 MB pieces, decoded as UTF-8, stripped of comment lines, parsed by PapaParse, and each
 * parsed chunk of rows goes straight into a TableBuilder's typed columns. Neither the file's
 * text nor its rows as JS objects are ever held whole, so a 1,000,000-row file needs about
 * rows × columns × 4 bytes. Progress is reported per piece; an AbortSignal cancels.
 *
 * The delimiter is sniffed among , ; tab | (PapaParse's guess on the first piece); quoted
 * fields, doubled quotes, CRLF and a UTF-8 BOM are handled; the header row is detected
 * (else columns are named col1, col2, …). With ';' as the delimiter, 3,14 reads as 3.14.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import Papa, { type ParseError, type ParseResult } from 'papaparse';
import type { LoadProgress } from '../../shared/data/dataset.js';
import { CommentStripper, detectTextEncoding, isBlankRow, lineSpan, looksLikeHeader, type TextEncodingName } from '../../shared/data/delimited.js';
import { DatasetError } from '../../shared/data/errors.js';
import { TableBuilder, type Table } from '../../shared/data/table.js';

export interface DelimitedOptions {
  /** The file as messages name it. */
  display: string;
  /** File size in bytes (for progress and the row-count estimate). */
  size: number;
  header?: boolean;
  delimiter?: ',' | ';' | '\t' | '|';
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
  /** The text encoding (default: detected, see detectTextEncoding). */
  encoding?: TextEncodingName;
}

export interface DelimitedResult {
  table: Table;
  delimiter: string;
  header: boolean;
  /** The encoding the text was read in (detected unless given). */
  encoding: TextEncodingName;
}

/**
 * Most columns a table may have: far more than any real table (a 128×128 RGB image as pixel
 * columns is 49,152), and a bound on what a one-line file can make the studio build (each column
 * is an object with typed arrays and statistics: a million of them took 67 s and 3 GB).
 */
export const MAX_COLUMNS = 100_000;

function tooManyColumns(display: string, line: number, found: number): DatasetError {
  return new DatasetError({
    code: 'too-large', file: display, row: line, unit: 'line',
    expected: `at most ${MAX_COLUMNS.toLocaleString('en')} columns`, found: `${found.toLocaleString('en')} fields on this line`,
    detail: 'is the delimiter right? Otherwise keep the columns you need',
  });
}

/** Rows looked at before deciding whether the first one is a header. */
const HEADER_SAMPLE = 50;
const PIECE = 1 << 20;

/** Streams a delimited text file into a table. */
export function loadDelimited(path: string, options: DelimitedOptions): Promise<DelimitedResult> {
  const reader = new DelimitedReader(options);
  const file = createReadStream(path, { highWaterMark: PIECE });
  const stripper = new CommentStripper();
  let lines = 0;
  let decoder: TextDecoder | null = null;
  async function* text(): AsyncGenerator<string> {
    for await (const bytes of file) {
      // The encoding is judged on the first piece (1 MB): a BOM, valid UTF-8, else Windows-1252.
      if (!decoder) {
        reader.encoding = options.encoding ?? detectTextEncoding(bytes as Buffer);
        decoder = new TextDecoder(reader.encoding);
      }
      const piece = decoder.decode(bytes as Buffer, { stream: true });
      // Text has no NUL characters: a file holding them is binary (or junk appended to a CSV), and
      // parsing it would build one "field" as long as the junk (a 2 GB string never fits).
      const nul = piece.indexOf('\0');
      if (nul >= 0) throw binaryData(options.display, piece, nul, file.bytesRead, lines);
      lines += countLines(piece);
      const clean = stripper.push(piece);
      reader.bytesRead = file.bytesRead;
      if (clean.length > 0) yield clean;
    }
    const tail = decoder?.decode() ?? '';
    const rest = stripper.push(tail) + stripper.end();
    if (rest.length > 0) yield rest;
  }
  const input = Readable.from(text(), { objectMode: true, highWaterMark: 1 });

  return new Promise<DelimitedResult>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      input.destroy();
      file.destroy();
      reject(error);
    };
    const onAbort = () => fail(options.signal?.reason ?? new DOMException('loading was cancelled', 'AbortError'));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    file.on('error', (e) => fail(e));
    input.on('error', (e) => fail(e));

    Papa.parse<string[]>(input as unknown as NodeJS.ReadableStream, {
      delimiter: options.delimiter ?? '',
      delimitersToGuess: [',', ';', '\t', '|'],
      header: false,
      skipEmptyLines: false,
      dynamicTyping: false,
      chunk(results, parser) {
        if (settled) return parser.abort();
        try {
          reader.addChunk(results);
        } catch (e) {
          fail(e); // first: abort() below calls complete(), which must find the read settled
          parser.abort();
        }
      },
      complete() {
        if (settled) return;
        options.signal?.removeEventListener('abort', onAbort);
        try {
          const result = reader.finish();
          settled = true;
          resolve(result);
        } catch (e) {
          fail(e);
        }
      },
      error(error: Error) {
        fail(error);
      },
    });
  });
}

function countLines(piece: string): number {
  let n = 0;
  for (let at = piece.indexOf('\n'); at >= 0; at = piece.indexOf('\n', at + 1)) n++;
  return n;
}

/** The refusal of a NUL character at `index` of `piece`, the piece ending at byte `bytesRead`. */
function binaryData(display: string, piece: string, index: number, bytesRead: number, linesBefore: number): DatasetError {
  const byte = bytesRead - Buffer.byteLength(piece.slice(index));
  return new DatasetError({
    code: 'unreadable', file: display, row: linesBefore + countLines(piece.slice(0, index)) + 1, unit: 'line',
    expected: 'text (CSV or TSV)', found: `a NUL byte at byte ${byte}: binary data, not text`,
    detail: 'the file may be damaged, or something that is not text was appended to it; cut it off there',
  });
}

/** The state of one read: line counting, header detection, the table being built. */
class DelimitedReader {
  bytesRead = 0;
  encoding: TextEncodingName = 'utf-8';
  private charsParsed = 0;
  private rowsParsed = 0;
  private nextLine = 1;
  private pending: { row: string[]; line: number }[] = [];
  private builder: TableBuilder | null = null;
  private width = 0;
  private header = false;
  private headerLine = 0;
  private delimiter = '';
  private linebreak = '\n';
  private sawAnything = false;

  constructor(private readonly options: DelimitedOptions) {}

  addChunk(results: ParseResult<string[]>): void {
    if (!this.delimiter) {
      this.delimiter = results.meta.delimiter;
      this.linebreak = results.meta.linebreak || '\n';
    }
    const quoteError = results.errors.find((e) => e.code === 'MissingQuotes' || e.code === 'InvalidQuotes');
    const rows = results.data;
    this.charsParsed = results.meta.cursor;
    this.rowsParsed += rows.length;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const line = this.nextLine;
      this.nextLine += lineSpan(row, this.linebreak);
      if (quoteError && quoteError.row === r) this.quoteProblem(quoteError, line);
      if (isBlankRow(row)) continue;
      this.sawAnything = true;
      if (this.builder) this.add(row, line);
      else {
        if (row.length > MAX_COLUMNS) throw tooManyColumns(this.options.display, line, row.length);
        this.pending.push({ row, line });
        if (this.pending.length > HEADER_SAMPLE) this.start();
      }
    }
    this.options.onProgress?.({ stage: 'reading', done: this.bytesRead, total: this.options.size, rows: this.builder?.rowCount ?? 0 });
  }

  private quoteProblem(error: ParseError, line: number): never {
    throw new DatasetError({
      code: 'unterminated-quote', file: this.options.display, row: line, unit: 'line',
      expected: error.code === 'MissingQuotes' ? 'a closing quote (") for the field opened on this line' : 'a delimiter or line break right after a closing quote',
      found: error.code === 'MissingQuotes' ? 'none before the end of the file' : 'more text after the quote',
    });
  }

  /** Decides the header from the pending rows and creates the builder. */
  private start(): void {
    const [first, ...rest] = this.pending;
    const decimalComma = this.delimiter === ';';
    this.header = this.options.header ?? looksLikeHeader(first.row, rest.map((p) => p.row), decimalComma);
    this.width = first.row.length;
    const names = this.header ? first.row : first.row.map((_, i) => `col${i + 1}`);
    if (this.header) this.headerLine = first.line;
    // Rows expected: file size over characters per row so far (+5%), so the columns rarely grow.
    const bytesPerRow = Math.max(1, this.charsParsed / Math.max(1, this.rowsParsed));
    const capacity = Math.ceil((this.options.size / bytesPerRow) * 1.05) + 16;
    this.builder = new TableBuilder(this.options.display, names, capacity, { unit: 'line', decimalComma });
    for (const p of this.header ? rest : this.pending) this.add(p.row, p.line);
    this.pending = [];
  }

  private add(row: string[], line: number): void {
    if (row.length !== this.width) {
      const like = this.header ? `like the header on line ${this.headerLine}` : 'like the first row';
      throw new DatasetError({
        code: 'ragged-row', file: this.options.display, row: line, unit: 'line',
        expected: `${this.width} fields ${like}`, found: `${row.length}`,
      });
    }
    this.builder!.addRow(row, line);
  }

  finish(): DelimitedResult {
    const file = this.options.display;
    if (!this.sawAnything) {
      throw new DatasetError({ code: 'empty-file', file, expected: 'a header row and rows of data', found: 'an empty file (nothing but blank or comment lines)' });
    }
    if (!this.builder) this.start();
    const table = this.builder!.finish();
    if (table.rowCount === 0) {
      throw new DatasetError({
        code: 'header-only', file, row: this.headerLine, unit: 'line',
        expected: 'rows of data after the header', found: 'the header only',
      });
    }
    return { table, delimiter: this.delimiter, header: this.header, encoding: this.encoding };
  }
}
