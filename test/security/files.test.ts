/**
 * Issue 13, item 5: crafted input files cost what their real contents cost, not what they declare
 * or what a parser would build from them. Each file is made here; each is opened by the real CLI
 * in a child process whose peak memory is read from the kernel (getrusage), and must be refused
 * with exit 2 and one line naming the file.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, openSync, writeSync, closeSync, writeFileSync, readFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', '..', 'main', 'cli', 'bin.cjs');
const dir = mkdtempSync(join(tmpdir(), 'nn-studio-bombs-'));
/** Prints the process's peak resident memory (kB) on the way out, however it exits. */
const peakProbe = join(dir, 'peak.cjs');
writeFileSync(peakProbe, "process.on('exit', () => require('fs').writeSync(2, `\\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\\n`));");

interface Outcome { status: number | null; lines: string[]; peakMB: number }

/** Runs `nn-studio ARGS` with the probe; the message lines are stderr without the probe's line. */
function cli(...args: string[]): Outcome {
  const run = spawnSync(process.execPath, ['--require', peakProbe, bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  const peak = /PEAK_RSS_KB (\d+)/.exec(run.stderr);
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('PEAK_RSS_KB'));
  return { status: run.status, lines, peakMB: peak ? Number(peak[1]) / 1024 : Infinity };
}

/** A refusal as a person sees it: exit 2, one line naming the file, under 1 GB of memory. */
function expectRefused(outcome: Outcome, file: string, message: RegExp): void {
  expect(outcome.lines, outcome.lines.join('\n')).toHaveLength(1);
  expect(outcome.lines[0]).toContain(file);
  expect(outcome.lines[0]).toMatch(message);
  expect(outcome.status).toBe(2);
  expect(outcome.peakMB).toBeLessThan(1024);
}

/** An IDX images file of `count` zero images of 28×28, gzip-compressed as a stream. */
async function gzipIdxImages(path: string, count: number): Promise<void> {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x803, 0);
  header.writeUInt32BE(count, 4);
  header.writeUInt32BE(28, 8);
  header.writeUInt32BE(28, 12);
  const zeros = Buffer.alloc(784 * 1000);
  async function* body() {
    yield header;
    for (let left = count; left > 0; left -= 1000) yield left >= 1000 ? zeros : zeros.subarray(0, left * 784);
  }
  await pipeline(Readable.from(body()), createGzip({ level: 9 }), createWriteStream(path));
}

function idxLabels(count: number): Buffer {
  const labels = Buffer.alloc(8 + count);
  labels.writeUInt32BE(0x801, 0);
  labels.writeUInt32BE(count, 4);
  return labels;
}

describe('memory and time bombs in datasets', () => {
  it('a gzip IDX file whose size trailer lies stops inflating at the memory budget', async () => {
    const folder = join(dir, 'idx-lie');
    mkdirSync(folder);
    const images = join(folder, 'train-images-idx3-ubyte.gz');
    await gzipIdxImages(images, 500_000); // 392 MB of pixels in ~400 KB
    // The trailer (last 4 bytes: the uncompressed size) claims 1,000 bytes.
    const fd = openSync(images, 'r+');
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32LE(1000);
    writeSync(fd, trailer, 0, 4, statSync(images).size - 4);
    closeSync(fd);
    writeFileSync(join(folder, 'train-labels-idx1-ubyte.gz'), gzipSync(idxLabels(500_000)));
    const outcome = cli('inspect', folder, '--memory-budget', '500');
    expectRefused(outcome, 'train-images-idx3-ubyte.gz', /fits the memory budget \(at most 100 MB once decompressed\), found more than that \(decompressing stopped there\)/);
  }, 120_000);

  it('a truncated gzip label file is reported as truncated, not as a memory problem', () => {
    const folder = join(dir, 'idx-cut');
    mkdirSync(folder);
    writeFileSync(join(folder, 'train-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([Buffer.from([0, 0, 8, 3, 0, 0, 0, 100, 0, 0, 0, 28, 0, 0, 0, 28]), Buffer.alloc(78_400, 7)])));
    const labels = gzipSync(Buffer.concat([idxLabels(100).subarray(0, 8), Buffer.from(Array.from({ length: 100 }, (_, i) => i % 10))]));
    writeFileSync(join(folder, 'train-labels-idx1-ubyte.gz'), labels.subarray(0, labels.length - 9));
    const outcome = cli('inspect', folder);
    expectRefused(outcome, 'train-labels-idx1-ubyte.gz', /expected a complete gzip file, found a truncated one/);
  });

  it('a PNG declaring 20000×20000 pixels is refused from its header, before decoding', () => {
    const folder = join(dir, 'png-bomb');
    for (const c of ['cat', 'dog']) mkdirSync(join(folder, c), { recursive: true });
    const small = PNG.sync.write(Object.assign(new PNG({ width: 8, height: 8 }), {}));
    for (const c of ['cat', 'dog']) for (let i = 0; i < 3; i++) writeFileSync(join(folder, c, `${i}.png`), small);
    const bomb = Buffer.from(small);
    bomb.writeUInt32BE(20000, 16);
    bomb.writeUInt32BE(20000, 20);
    writeFileSync(join(folder, 'dog', 'huge.png'), bomb);
    const outcome = cli('inspect', folder);
    expectRefused(outcome, 'huge.png', /expected an image of at most 50 megapixels, found 20000×20000 pixels \(1\.5 GB once decoded\)/);
  });

  it('a CSV followed by binary junk (NUL bytes) is refused at the first NUL, naming its line and byte', () => {
    const path = join(dir, 'junk.csv');
    // 2 MB of good rows first, as in the report: past what the format sniffer reads.
    const text = 'x,y,label\n' + Array.from({ length: 150_000 }, (_, i) => `${i},${i * 2},${i % 2}\n`).join('');
    writeFileSync(path, Buffer.concat([Buffer.from(text), Buffer.alloc(64 * 1024 ** 2)]));
    const outcome = cli('inspect', path);
    expectRefused(outcome, 'junk.csv', new RegExp(`line 150002: expected text \\(CSV or TSV\\), found a NUL byte at byte ${Buffer.byteLength(text)}: binary data, not text`));
  });

  it('a one-line header of a million repeated names is refused at once, in linear time', () => {
    const path = join(dir, 'wide.csv');
    writeFileSync(path, `${Array(1_000_000).fill('a').join(',')}\n${Array(1_000_000).fill('1').join(',')}\n`);
    const outcome = cli('inspect', path);
    expectRefused(outcome, 'wide.csv', /line 1: expected at most 100,000 columns, found 1,000,000 fields on this line/);
  });

  it('a wide table within the limit still loads (20,000 columns of repeated names)', () => {
    const path = join(dir, 'wide-ok.csv');
    const rows = [Array(20_000).fill('a').join(',')];
    for (let r = 0; r < 4; r++) rows.push(Array.from({ length: 20_000 }, (_, i) => (i === 19_999 ? String(r % 2) : String(r + i))).join(','));
    writeFileSync(path, rows.join('\n') + '\n');
    const run = spawnSync(process.execPath, [bin, 'inspect', path, '--json'], { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 ** 2 });
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { columns: Array<{ name: string }> };
    expect(summary.columns).toHaveLength(20_000);
    expect(summary.columns.at(-1)!.name).toBe('a_20000');
    expect(readFileSync(path).length).toBeGreaterThan(0);
  }, 120_000);
});
