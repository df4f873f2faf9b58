/**
 * The streaming path at scale: a 1,000,000-row × 20-column CSV (≈130 MB), generated on the fly,
 * loads, summarises and prepares in a separate process whose JavaScript heap is capped at 64 MB.
 * Holding the file's text (one 130 MB string) or its rows as objects (20 million strings) cannot
 * fit under that cap, so the run passing proves neither is held; the columns live in typed
 * arrays outside the heap. Time and peak RSS are printed (the benchmark's business), not asserted.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../shared/nn/random.js';
import { tempFolder } from './helpers.js';

const ROWS = 1_000_000;
/** The child's V8 heap limit (MB). */
const HEAP_CAP = 64;
const FEATURES = 19;
const files = tempFolder('nn-big-csv-');
const appRoot = join(import.meta.dirname, '..', '..');

/** Writes ROWS rows: 19 numeric features (3 decimals) and a class label decided by two of them. */
async function writeBigCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  const random = new Random(7);
  out.write(Array.from({ length: FEATURES }, (_, j) => `f${j + 1}`).concat('label').join(',') + '\n');
  const batch: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const values = Array.from({ length: FEATURES }, () => (random.normal() * 10).toFixed(3));
    const label = Number(values[0]) + Number(values[1]) > 0 ? 'up' : 'down';
    batch.push(values.join(',') + ',' + label);
    if (batch.length === 10_000) {
      if (!out.write(batch.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      batch.length = 0;
    }
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

describe('a 1,000,000-row CSV', () => {
  let child: string;
  let csv: string;

  beforeAll(async () => {
    csv = files.path('big.csv');
    const outDir = join(appRoot, 'out', 'test');
    mkdirSync(outDir, { recursive: true });
    child = join(outDir, 'big-csv-child.mjs');
    await Promise.all([
      writeBigCsv(csv),
      // Bundled next to the app (packages stay external, resolved from its node_modules).
      build({ entryPoints: [join(import.meta.dirname, 'fixtures', 'big-csv-child.ts')], outfile: child, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' }),
    ]);
  });

  it('streams into typed columns without holding the text or row objects', () => {
    const fileBytes = statSync(csv).size;
    const started = performance.now();
    const report = JSON.parse(execFileSync(process.execPath, [`--max-old-space-size=${HEAP_CAP}`, child, csv], { encoding: 'utf8', maxBuffer: 1 << 20 })) as Record<string, number> & { classes: string[] };
    const wallMs = performance.now() - started;
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
    console.log(
      `1M-row CSV (${mb(fileBytes)}, heap capped at ${HEAP_CAP} MB): load ${(report.loadMs / 1000).toFixed(2)} s, peak RSS after load ${mb(report.loadPeakRss)} ` +
      `(table ${mb(report.tableBytes)}); summary ${(report.summaryMs / 1000).toFixed(2)} s; prepare ${(report.prepareMs / 1000).toFixed(2)} s, ` +
      `peak RSS ${mb(report.finalPeakRss)}; process ${(wallMs / 1000).toFixed(2)} s`,
    );
    expect(report.rows).toBe(ROWS);
    expect(report.columns).toBe(FEATURES + 1);
    expect(report.progressEvents).toBeGreaterThan(50);
    expect(report.task).toBe('classification');
    expect(report.classes).toEqual(['down', 'up']);
    expect(report.trainRows + report.validationRows + report.testRows).toBe(ROWS);
    expect(report.inputSize).toBe(FEATURES);
    // rows × columns × 4 bytes, + one int32 per row for line numbers and one for the label
    // codes, + at most 5% spare capacity.
    expect(report.tableBytes).toBeLessThanOrEqual((ROWS * (FEATURES + 1) * 4 + 2 * ROWS * 4) * 1.05 + 1e6);
  });
});
