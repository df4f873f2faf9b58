// @ts-nocheck — AssemblyScript (compiled to WebAssembly by build/scripts/build-wasm.mjs), not TypeScript.
/**
 * Gathering a mini-batch: out row r = src row index[r], whole rows of `rowBytes` bytes copied with
 * `memory.copy`. Random rows of an image dataset miss every cache, so one thread waits on memory
 * most of the time; two threads copying different rows nearly halve that (measured on 2 cores:
 * 100 rows of 784 floats, 61 µs on one thread, 30 on two). Units are GATHER_ROWS rows.
 */
import { KIND_GATHER, job, runJob, claimUnit, countHelperUnits } from './job';

const GATHER_ROWS: i32 = 8;

/** out[r] = src[index[r]] for r < rows, rows of rowBytes bytes; index holds i32 row numbers. */
export function gatherRows(out: usize, src: usize, index: usize, rows: i32, rowBytes: i32, parallel: bool): void {
  if (rows <= 0 || rowBytes <= 0) return;
  const j = job();
  j.kind = KIND_GATHER;
  j.c = out;
  j.ldc = <usize>rowBytes;
  j.a = index;
  j.b = src;
  j.rows = rows;
  j.units = (rows + GATHER_ROWS - 1) / GATHER_ROWS;
  runJob(parallel && j.units > 1);
}

/** This thread's share of the current gather job. */
export function gatherWork(tid: i32): void {
  const j = job();
  const out = j.c, bytes = j.ldc, index = j.a, src = j.b, rows = j.rows;
  let done = 0;
  for (let u = claimUnit(tid); u >= 0; u = claimUnit(tid), done++) {
    const end = min<i32>(rows, (u + 1) * GATHER_ROWS);
    for (let r = u * GATHER_ROWS; r < end; r++) {
      const s = <usize>load<i32>(index + (<usize>r << 2));
      memory.copy(out + <usize>r * bytes, src + s * bytes, bytes);
    }
  }
  countHelperUnits(tid, done);
}
