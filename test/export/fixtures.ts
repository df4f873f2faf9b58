/**
 * Trained runs for the project and export tests, made in-process by the worker's own RunSession
 * (the real data loading, preprocessing, training and evaluation, without a child process), plus
 * small datasets written to a temp folder: a CSV with categorical columns and missing values, and
 * a folder of tiny PNG images.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { RunSession } from '../../main/worker/run.js';
import type { FromWorker } from '../../shared/ipc/worker-protocol.js';
import { RunConfig, type RunConfigInput } from '../../shared/runs/config.js';
import { RunRecord } from '../../shared/runs/results.js';

let runs = 0;

/** Trains `config` to the end in this process and returns the run as the run manager records it. */
export async function trainRun(config: RunConfigInput): Promise<RunRecord> {
  const messages: FromWorker[] = [];
  const id = `run${++runs}x${process.pid}`;
  await new RunSession(id, (m) => messages.push(m)).run(config);
  const failed = messages.find((m) => m.type === 'run:failed');
  if (failed?.type === 'run:failed') throw new Error(`training failed: ${failed.error.message}`);
  const started = messages.find((m) => m.type === 'run:started');
  const finished = messages.find((m) => m.type === 'run:finished');
  if (started?.type !== 'run:started' || finished?.type !== 'run:finished') throw new Error('the run did not finish');
  const last = [...messages].reverse().find((m) => m.type === 'run:progress');
  return RunRecord.parse({
    id,
    config: RunConfig.parse(config),
    state: 'finished',
    createdAt: new Date().toISOString(),
    data: started.data,
    progress: last?.type === 'run:progress' ? last.progress : undefined,
    history: finished.outcome.history,
    outcome: finished.outcome,
  });
}

/** A fresh temp folder. */
export function tempFolder(prefix = 'nn-studio-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A CSV mixing numeric and categorical columns (interleaved), with missing cells of both kinds:
 * the price of a house-like item from size, colour, age and district.
 */
export function writeMixedCsv(folder: string, rows = 120): string {
  const colours = ['red', 'green', 'blue'];
  const districts = ['north', 'south', 'east', 'west'];
  const lines = ['size,colour,age,district,price'];
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < rows; i++) {
    const size = (40 + rand() * 160).toFixed(1);
    const colour = colours[Math.floor(rand() * colours.length)];
    const age = Math.floor(rand() * 50);
    const district = districts[Math.floor(rand() * districts.length)];
    const price = Number(size) * 3 + (colour === 'red' ? 40 : 0) - age * 2 + districts.indexOf(district) * 25 + rand() * 10;
    // Every 17th row misses its age, every 23rd its colour: preprocessing fills them.
    lines.push([size, i % 23 === 5 ? '' : colour, i % 17 === 3 ? 'NA' : age, district, price.toFixed(2)].join(','));
  }
  const path = join(folder, 'houses.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** A folder of 6×6 gray PNGs in three classes (a bar: horizontal, vertical, or a diagonal), 12 each. */
export function writeImageFolder(folder: string): string {
  const root = join(folder, 'bars');
  const draw: Record<string, (x: number, y: number, k: number) => boolean> = {
    horizontal: (_x, y, k) => y === 1 + (k % 4),
    vertical: (x, _y, k) => x === 1 + (k % 4),
    diagonal: (x, y, k) => x === y || (k % 2 === 1 && x === y + 1),
  };
  for (const [label, on] of Object.entries(draw)) {
    mkdirSync(join(root, label), { recursive: true });
    for (let k = 0; k < 12; k++) {
      const png = new PNG({ width: 6, height: 6 });
      for (let y = 0; y < 6; y++) {
        for (let x = 0; x < 6; x++) {
          const v = on(x, y, k) ? 230 - k * 3 : 20 + ((x * 7 + y * 3 + k) % 30);
          png.data.set([v, v, v, 255], (y * 6 + x) * 4);
        }
      }
      writeFileSync(join(root, label, `${k}.png`), PNG.sync.write(png));
    }
  }
  return root;
}

/** y = 150 + 40·a − 25·b + small noise: a linear model fits it to R² ≈ 0.99. */
export function writeLinearCsv(folder: string, rows: number, seed: number): { path: string; rows: { a: number; b: number; y: number }[] } {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const data = Array.from({ length: rows }, () => {
    const a = rand() * 4 - 2, b = rand() * 6 - 3;
    return { a, b, y: 150 + 40 * a - 25 * b + (rand() - 0.5) * 8 };
  });
  const path = join(folder, `linear-${seed}.csv`);
  writeFileSync(path, ['a,b,y', ...data.map((r) => `${r.a.toFixed(4)},${r.b.toFixed(4)},${r.y.toFixed(3)}`)].join('\n') + '\n');
  return { path, rows: data };
}
