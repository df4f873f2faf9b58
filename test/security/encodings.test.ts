/**
 * Text encodings of CSV files (issue 13, item 6): Latin-1 bytes that are not valid UTF-8 read
 * as Windows-1252 ("München", not "M\uFFFDnchen"), UTF-16 with a byte-order mark reads as text,
 * and the summary says which encoding was used whenever it is not UTF-8.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellAt, cellLabel } from '../../shared/data/table.js';
import { resolveOptions } from '../../shared/data/options.js';
import { loadDataset } from '../../main/data/index.js';
import { tempFolder } from '../export/fixtures.js';

const text = 'city,temp\nMünchen,12\nZürich,9\nMünchen,14\nZürich,8\n';

/** The city column's labels and the notes of a CSV written as `bytes`. */
async function cities(name: string, bytes: Uint8Array): Promise<{ labels: string[]; notes: string[] }> {
  const path = join(tempFolder('nn-studio-enc-'), name);
  writeFileSync(path, bytes);
  const loaded = await loadDataset(path, resolveOptions({}));
  if (loaded.kind !== 'table') throw new Error('expected a table');
  const column = loaded.table.columns.find((c) => c.name === 'city')!;
  return { labels: Array.from({ length: loaded.table.rowCount }, (_, i) => cellLabel(cellAt(column, i)) ?? ''), notes: loaded.notes ?? [] };
}

describe('CSV text encodings', () => {
  it('reads Latin-1 bytes as Windows-1252 and says so', async () => {
    const { labels, notes } = await cities('latin1.csv', Buffer.from(text, 'latin1'));
    expect(labels).toEqual(['München', 'Zürich', 'München', 'Zürich']);
    expect(notes.join('\n')).toMatch(/read as Windows-1252 \/ Latin-1/);
  });

  it('reads UTF-16LE with a BOM as text', async () => {
    const { labels, notes } = await cities('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(labels).toEqual(['München', 'Zürich', 'München', 'Zürich']);
    expect(notes.join('\n')).toMatch(/UTF-16 \(little-endian/);
  });

  it('reads UTF-8 (with or without BOM) without a note', async () => {
    for (const [name, bytes] of [['plain.csv', Buffer.from(text)], ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])]] as const) {
      const { labels, notes } = await cities(name, bytes);
      expect(labels).toEqual(['München', 'Zürich', 'München', 'Zürich']);
      expect(notes).toEqual([]);
    }
  });
});
