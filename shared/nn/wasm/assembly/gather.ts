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

/**
 * Four rows copied side by side, a cache line of each in turn: four streams of misses in flight
 * instead of one (a row copied alone starts with a full memory latency, and the prefetcher only
 * picks it up after a few lines).
 */
function copy4Rows(out: usize, src: usize, index: usize, bytes: usize): void {
  const s0 = src + <usize>load<i32>(index) * bytes, s1 = src + <usize>load<i32>(index, 4) * bytes;
  const s2 = src + <usize>load<i32>(index, 8) * bytes, s3 = src + <usize>load<i32>(index, 12) * bytes;
  const d0 = out, d1 = out + bytes, d2 = out + 2 * bytes, d3 = out + 3 * bytes;
  const lines = bytes & ~63;
  for (let o: usize = 0; o < lines; o += 64) {
    copyLine(d0 + o, s0 + o); copyLine(d1 + o, s1 + o); copyLine(d2 + o, s2 + o); copyLine(d3 + o, s3 + o);
  }
  const rest = bytes - lines;
  if (rest > 0) {
    memory.copy(d0 + lines, s0 + lines, rest); memory.copy(d1 + lines, s1 + lines, rest);
    memory.copy(d2 + lines, s2 + lines, rest); memory.copy(d3 + lines, s3 + lines, rest);
  }
}

@inline function copyLine(d: usize, s: usize): void {
  v128.store(d, v128.load(s)); v128.store(d, v128.load(s, 16), 16);
  v128.store(d, v128.load(s, 32), 32); v128.store(d, v128.load(s, 48), 48);
}

/** This thread's share of the current gather job. */
export function gatherWork(tid: i32): void {
  const j = job();
  const out = j.c, bytes = j.ldc, index = j.a, src = j.b, rows = j.rows;
  let done = 0;
  for (let u = claimUnit(tid); u >= 0; u = claimUnit(tid), done++) {
    const end = min<i32>(rows, (u + 1) * GATHER_ROWS);
    let r = u * GATHER_ROWS;
    for (; r + 4 <= end; r += 4) copy4Rows(out + <usize>r * bytes, src, index + (<usize>r << 2), bytes);
    for (; r < end; r++) {
      const s = <usize>load<i32>(index + (<usize>r << 2));
      memory.copy(out + <usize>r * bytes, src + s * bytes, bytes);
    }
  }
  countHelperUnits(tid, done);
}
