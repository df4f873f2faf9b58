// @ts-nocheck — AssemblyScript (compiled to WebAssembly by build/scripts/build-wasm.mjs), not
// TypeScript: `v128`, `usize`, `atomic.*` and the decorators are AssemblyScript builtins.
/**
 * How the threads of one backend share a kernel call. All of them run the same module on the same
 * shared memory; the calling thread ("main") fills one `Job` record, opens it, and works on it
 * itself; helper threads that are awake join it, and every thread claims units of work (tiles of
 * the output) from one atomic counter until none are left: the caller from the first unit up, the
 * helpers from the last unit down, so units that share inputs stay on one core. A helper that
 * wakes up late finds the job closed and does nothing, so a sleeping helper never delays the
 * caller: the work is simply shared between whoever is there.
 *
 * `state` packs (job id << 8) | CLOSED | participants, so a helper joins exactly the job it saw
 * (compare-and-swap on the whole word) and the caller can close a job and wait for the helpers
 * already inside to leave.
 */
import { gemmWork } from './gemm';
import { gatherWork, backgroundGatherUnit } from './gather';
import { convWork } from './conv2d';
import { poolWork } from './pool';

export const KIND_GEMM: i32 = 1;
export const KIND_EXIT: i32 = 2;
export const KIND_GATHER: i32 = 3;
export const KIND_CONV: i32 = 4;
export const KIND_POOL: i32 = 5;

const CLOSED: i32 = 0x80;
const PARTICIPANTS: i32 = 0x7f;

/** Bytes of scratch each thread owns inside the control block (an edge tile of the GEMM kernel). */
export const THREAD_SCRATCH: usize = 256;

// The control block starts with one cache line of the words every thread writes during a job; the
// background gather's line and the job's arguments follow in their own lines. When they shared a line, every unit one core claimed
// made the other core's next reads of the arguments (in every tile) miss.

/**
 * (job id << 8) | CLOSED | participants. At the control block's own address: at an offset, Binaryen
 * keeps the word's address in a local across the helper's `atomic.wait`, and Node 20's V8 (11.3)
 * loses that local over the wait, so the helper sleeps on a wrong address and never joins a job.
 */
const STATE: usize = 0;
/**
 * Units claimed (i64): from the front by the calling thread (low 32 bits), from the back by the
 * helpers (high 32 bits). Offset 8, so the 64-bit atomics on it are aligned.
 */
const NEXT: usize = 8;
/** Units done by helper threads since the start (a statistic: shows that work is shared). */
const HELPER_UNITS: usize = 16;
/**
 * Set by a helper about to sleep in `atomic.wait`, cleared by the caller that wakes it: the caller
 * notifies only then, because V8's notify takes a process-wide lock and costs microseconds even
 * with nobody waiting. (The helper touches nothing after its wait: see STATE.)
 */
const ASLEEP: usize = 20;
/** Bytes of the line of contended words before the background gather's line (gather.ts) and the Job record. */
const SYNC_BYTES: usize = 64;
/** Bytes of the background gather's line (gather.ts), between the sync line and the Job record. */
const BACKGROUND_BYTES: usize = 64;

/** One kernel call's arguments, in the control block every thread reads. */
@unmanaged
export class Job {
  kind: i32;
  units: i32;
  // GEMM: c[rows×cols] (init) = A·B over `red` terms; element (i, r) of A at a + i·aRow + r·aRed,
  // element (r, j) of B at b + r·bRed + j·bCol (byte strides), so one record covers A·B, Aᵀ·B, A·Bᵀ.
  c: usize;
  ldc: usize;
  a: usize;
  aRow: usize;
  aRed: usize;
  b: usize;
  bRed: usize;
  bCol: usize;
  rows: i32;
  cols: i32;
  red: i32;
  init: i32;
  bias: usize;
  /** Element-wise activation of the epilogue (elementwise.ts ACT_*; 0: none), written to `actOut` (C's layout). */
  act: i32;
  actOut: usize;
  pack: usize;
  packState: usize;
  panels: i32;
  chunkRows: i32;
  chunks: i32;
  groupChunks: i32;
  /** 1: a group's units go panel by panel (chunks inner); 0: chunk by chunk (panels inner). See gemm.ts. */
  panelMajor: i32;
  /** The arguments of a KIND_CONV or KIND_POOL job (conv2d.ts, pool.ts), in a record of their own. */
  record: usize;
}

/**
 * The control block: the line of contended words, the background gather's line, a Job, then
 * THREAD_SCRATCH bytes per thread. Set once per instance.
 */
let control: usize = 0;
/** The id of the last job this (calling) thread opened. */
let jobId: i32 = 0;

/** Bytes the control block needs for `threads` threads. */
export function controlBytes(threads: i32): usize {
  return SYNC_BYTES + BACKGROUND_BYTES + ((offsetof<Job>() + 63) & ~63) + <usize>threads * THREAD_SCRATCH;
}

/** Points this instance at its control block (the calling thread's instance, once). */
export function setControl(ptr: usize): void {
  control = ptr;
}

/** The job record every thread of this backend shares. */
export function job(): Job {
  return changetype<Job>(control + SYNC_BYTES + BACKGROUND_BYTES);
}

/** The background gather's line of the control block (gather.ts lays it out). */
export function backgroundLine(): usize {
  return control + SYNC_BYTES;
}

/** This thread's private scratch (THREAD_SCRATCH bytes). */
export function threadScratch(tid: i32): usize {
  return control + SYNC_BYTES + BACKGROUND_BYTES + ((offsetof<Job>() + 63) & ~63) + <usize>tid * THREAD_SCRATCH;
}

@inline function statePtr(): usize {
  return control + STATE;
}

/**
 * Claims the next unit of the current job for thread `tid`; returns -1 when all units are taken.
 * The calling thread takes units 0, 1, 2, … and the helpers take units from the last one down, so
 * the two ends of the job meet only once: consecutive units (which share inputs, e.g. packed panels
 * of B) stay on one core, and wherever the threads meet, the finish is balanced to within a unit.
 */
export function claimUnit(tid: i32): i32 {
  return claimFrom(control + NEXT, job().units, tid);
}

/**
 * claimUnit's rule on any counter of claims (i64 at `counter`: the calling thread's claims in the
 * low 32 bits, the helpers' in the high 32 bits) over `units` units; the background gather has one.
 */
export function claimFrom(counter: usize, units: i32, tid: i32): i32 {
  const old = atomic.add<i64>(counter, tid == 0 ? <i64>1 : <i64>1 << 32);
  if (claimed(old) >= units) return -1;
  return <i32>(tid == 0 ? old & 0xffffffff : <i64>units - 1 - (old >>> 32));
}

/** Units claimed so far from both ends, given a counter's value (claimFrom). */
@inline export function claimed(counter: i64): i64 {
  return (counter & 0xffffffff) + (counter >>> 32);
}

/** Units of work helper threads have done since this backend started. */
export function helperUnits(): i32 {
  return atomic.load<i32>(control + HELPER_UNITS);
}

/** Counts units a helper did (one atomic add per job, not per unit). */
export function countHelperUnits(tid: i32, n: i32): void {
  if (tid > 0 && n > 0) atomic.add<i32>(control + HELPER_UNITS, n);
}

/** Runs this thread's share of the current job. */
function work(tid: i32): void {
  const kind = job().kind;
  if (kind == KIND_GEMM) gemmWork(tid);
  else if (kind == KIND_GATHER) gatherWork(tid);
  else if (kind == KIND_CONV) convWork(tid);
  else if (kind == KIND_POOL) poolWork(tid);
}

/** Job ids run 1 … 2²⁴−1 and wrap to 1: id 0 is the state before the first job. */
function nextJobId(): i32 {
  jobId = jobId >= 0xffffff ? 1 : jobId + 1;
  return jobId;
}

/**
 * Runs the job described in the control block on the calling thread, sharing it with the helper
 * threads when `parallel` (which must be false when this instance has no helpers).
 */
export function runJob(parallel: bool): void {
  store<i64>(control + NEXT, 0);
  if (!parallel) {
    work(0);
    return;
  }
  atomic.store<i32>(statePtr(), nextJobId() << 8); // open: the arguments above are now visible to joiners
  wakeHelpers();
  work(0);
  atomic.or<i32>(statePtr(), CLOSED);
  while ((atomic.load<i32>(statePtr()) & PARTICIPANTS) != 0) {} // helpers finishing their last unit
}

/**
 * Wakes sleeping helpers after the state word changed. Skipping the notify when no helper said it
 * is going to sleep is safe: a helper says so before `atomic.wait` compares the state word, so
 * either this exchange sees its flag or its wait sees the new state and returns at once.
 */
function wakeHelpers(): void {
  if (atomic.xchg<i32>(control + ASLEEP, 0) != 0) atomic.notify(statePtr());
}

/**
 * Tells the helpers there is work outside a job (a background gather, gather.ts): a new job id,
 * closed at once so nobody joins it, which also wakes a sleeping helper.
 */
export function announceWork(): void {
  atomic.store<i32>(statePtr(), (nextJobId() << 8) | CLOSED);
  wakeHelpers();
}

/** Tells the helper threads to return from `workerLoop` (they must be awake or wakeable). */
export function postExit(): void {
  job().kind = KIND_EXIT;
  atomic.store<i32>(statePtr(), nextJobId() << 8);
  atomic.notify(statePtr());
}

/**
 * A helper thread's whole life: wait for a job, join it if it is still open, do units, leave.
 * Between jobs it copies rows of a background gather when one is posted (gather.ts), a unit at a
 * time, looking for a job after each. Spins `spin` times on the state word before sleeping in
 * `memory.atomic.wait32`, because a wake-up from sleep costs tens of microseconds and training
 * calls kernels back to back.
 */
export function workerLoop(ctrl: usize, tid: i32, spin: i32): void {
  control = ctrl;
  // Helpers start before the first job (id 1), but may reach this line after it was posted
  // (even after an exit was posted): so "seen" starts at 0, not at the current state.
  let last = 0;
  let idle = 0;
  while (true) {
    const s = atomic.load<i32>(statePtr());
    if ((s >>> 8) == last || (s & CLOSED) != 0) {
      if (backgroundGatherUnit(tid)) {
        idle = 0;
        continue;
      }
      if (++idle > spin) {
        atomic.store<i32>(control + ASLEEP, 1);
        atomic.wait<i32>(statePtr(), s, -1);
        idle = 0;
      }
      continue;
    }
    if (atomic.cmpxchg<i32>(statePtr(), s, s + 1) != s) continue; // changed under us: look again
    last = s >>> 8;
    idle = 0;
    if (job().kind == KIND_EXIT) {
      atomic.sub<i32>(statePtr(), 1);
      return;
    }
    work(tid);
    atomic.sub<i32>(statePtr(), 1);
  }
}
