// @ts-nocheck — AssemblyScript (compiled to WebAssembly by build/scripts/build-wasm.mjs), not TypeScript.
/**
 * Gathering a mini-batch: out row r = src row index[r], whole rows of `rowBytes` bytes. Random rows
 * of an image dataset miss every cache, so a thread waits on memory most of the time: rows are
 * copied four side by side (more misses in flight), and two threads copying different rows nearly
 * halve the rest (measured on 2 cores, 100 rows of 784 floats: 61 µs on one thread row by row, 30
 * on two, 25.5 on two four rows at a time). Units are GATHER_ROWS rows. A gather can also run in
 * the background, on helper threads between jobs (below).
 */
import { KIND_GATHER, job, runJob, claimUnit, claimFrom, claimed, countHelperUnits, backgroundLine, announceWork } from './job';

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
  for (let u = claimUnit(tid); u >= 0; u = claimUnit(tid), done++) copyUnit(out, src, index, bytes, rows, u);
  countHelperUnits(tid, done);
}

/** Unit u of a gather: rows u·GATHER_ROWS … (up to `rows`). */
function copyUnit(out: usize, src: usize, index: usize, bytes: usize, rows: i32, u: i32): void {
  const end = min<i32>(rows, (u + 1) * GATHER_ROWS);
  let r = u * GATHER_ROWS;
  for (; r + 4 <= end; r += 4) copy4Rows(out + <usize>r * bytes, src, index + (<usize>r << 2), bytes);
  for (; r < end; r++) {
    const s = <usize>load<i32>(index + (<usize>r << 2));
    memory.copy(out + <usize>r * bytes, src + s * bytes, bytes);
  }
}

// A gather in the background: the calling thread posts it and goes on (the trainer posts the next
// mini-batch right after a forward pass, while the rest of the step runs on the calling thread
// alone); helper threads copy its units whenever no job is open (job.ts workerLoop), and
// `finishGatherRows` copies what they have not taken and waits for the rest. One at a time.
// Its words, in the control block's background line (job.ts backgroundLine):
/** 1 from posting until finishGatherRows has seen every unit done. */
const BG_OPEN: usize = 0;
/** Helpers inside backgroundGatherUnit: finishGatherRows waits for them before the line is reused. */
const BG_ACTIVE: usize = 4;
/** Units claimed (i64): by the calling thread from the front, by helpers from the back (job.ts claimFrom). */
const BG_NEXT: usize = 8;
const BG_FINISHED: usize = 16;
const BG_UNITS: usize = 20;
const BG_OUT: usize = 24;
const BG_SRC: usize = 28;
const BG_INDEX: usize = 32;
const BG_ROWS: usize = 36;
const BG_BYTES: usize = 40;
/** A second table gathered by the same row numbers (a batch's targets with its inputs); bytes 0: none. */
const BG_OUT2: usize = 44;
const BG_SRC2: usize = 48;
const BG_BYTES2: usize = 52;

/**
 * Posts a background gather (out row r = src row index[r], and out2 row r = src2 row index[r] when
 * rowBytes2 > 0) after finishing any earlier one.
 */
export function startGatherRows(out: usize, src: usize, index: usize, rows: i32, rowBytes: i32, out2: usize, src2: usize, rowBytes2: i32): void {
  finishGatherRows();
  if (rows <= 0 || rowBytes <= 0) return;
  const bg = backgroundLine();
  store<usize>(bg + BG_OUT, out);
  store<usize>(bg + BG_SRC, src);
  store<usize>(bg + BG_INDEX, index);
  store<i32>(bg + BG_ROWS, rows);
  store<usize>(bg + BG_BYTES, <usize>rowBytes);
  store<usize>(bg + BG_OUT2, out2);
  store<usize>(bg + BG_SRC2, src2);
  store<usize>(bg + BG_BYTES2, <usize>max<i32>(0, rowBytes2));
  store<i32>(bg + BG_UNITS, (rows + GATHER_ROWS - 1) / GATHER_ROWS);
  atomic.store<i64>(bg + BG_NEXT, 0);
  atomic.store<i32>(bg + BG_FINISHED, 0);
  atomic.store<i32>(bg + BG_OPEN, 1); // the words above are now visible to helpers that see it open
  announceWork();
}

/** Completes the background gather, if one is posted: its rows are all in place on return. */
export function finishGatherRows(): void {
  const bg = backgroundLine();
  if (atomic.load<i32>(bg + BG_OPEN) == 0) return;
  for (let u = claimBackground(bg, 0); u >= 0; u = claimBackground(bg, 0)) {
    copyBackgroundUnit(bg, u);
    atomic.add<i32>(bg + BG_FINISHED, 1);
  }
  const units = load<i32>(bg + BG_UNITS);
  while (atomic.load<i32>(bg + BG_FINISHED) < units) {} // a helper's unit in flight
  atomic.store<i32>(bg + BG_OPEN, 0);
  while (atomic.load<i32>(bg + BG_ACTIVE) != 0) {} // helpers that saw it open leave before the line is reused
}

/** A helper's turn: copies one unit of the posted background gather; false when there was none to take. */
export function backgroundGatherUnit(tid: i32): bool {
  const bg = backgroundLine();
  if (atomic.load<i32>(bg + BG_OPEN) == 0) return false;
  // Nothing left to claim (a hint, read without joining: a stale answer only delays a unit).
  if (claimed(atomic.load<i64>(bg + BG_NEXT)) >= <i64>load<i32>(bg + BG_UNITS)) return false;
  atomic.add<i32>(bg + BG_ACTIVE, 1);
  let done = false;
  if (atomic.load<i32>(bg + BG_OPEN) != 0) {
    const u = claimBackground(bg, tid);
    if (u >= 0) {
      copyBackgroundUnit(bg, u);
      atomic.add<i32>(bg + BG_FINISHED, 1);
      countHelperUnits(tid, 1);
      done = true;
    }
  }
  atomic.sub<i32>(bg + BG_ACTIVE, 1);
  return done;
}

function claimBackground(bg: usize, tid: i32): i32 {
  return claimFrom(bg + BG_NEXT, load<i32>(bg + BG_UNITS), tid);
}

function copyBackgroundUnit(bg: usize, u: i32): void {
  const index = load<usize>(bg + BG_INDEX), rows = load<i32>(bg + BG_ROWS), bytes2 = load<usize>(bg + BG_BYTES2);
  copyUnit(load<usize>(bg + BG_OUT), load<usize>(bg + BG_SRC), index, load<usize>(bg + BG_BYTES), rows, u);
  if (bytes2 > 0) copyUnit(load<usize>(bg + BG_OUT2), load<usize>(bg + BG_SRC2), index, bytes2, rows, u);
}
