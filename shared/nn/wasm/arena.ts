/**
 * The backend's memory: one WebAssembly.Memory that the kernels address by byte offset, carved
 * into blocks by a bump allocator (tensors of a model live as long as the model; a training run
 * is one worker process).
 *
 * Views handed out must stay valid. A shared memory never detaches its old buffer when it grows
 * (the old SharedArrayBuffer keeps covering the bytes it covered), so it grows on demand; every
 * buffer object the memory has shown is remembered, to recognise views made before a growth.
 * A private memory detaches on growth, so it is reserved up front and never grown.
 */

const PAGE = 65536;
/** Block alignment: a cache line (also keeps every f32x4 load aligned). */
const ALIGN = 64;
/** Bytes kept readable past the last block, so a vector load at a tensor's tail stays in bounds. */
const TAIL = 64;

export class WasmArena {
  private top: number;
  /** Every buffer object the memory has shown (one per growth; a handful). */
  private readonly buffers: ArrayBufferLike[] = [];

  /**
   * @param memory the kernels' memory
   * @param base first free byte (above the module's static data)
   * @param growable whether the memory may grow (shared memories); otherwise its current size is the limit
   */
  constructor(readonly memory: WebAssembly.Memory, base: number, private readonly growable: boolean) {
    this.top = alignUp(base, ALIGN);
    this.buffers.push(memory.buffer);
  }

  /** Reserves `bytes` (zeroed: memory starts zeroed and blocks are never reused) and returns the offset. */
  allocBytes(bytes: number): number {
    const ptr = this.top;
    const end = ptr + alignUp(Math.max(bytes, 0), ALIGN);
    this.ensureSize(end + TAIL);
    this.top = end;
    return ptr;
  }

  /** A Float32Array view of n elements at ptr. */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }

  /** An Int32Array view of n elements at ptr. */
  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, n);
  }

  /** Whether `view` lies in this memory (so kernels can use it in place, by its byteOffset). */
  owns(view: ArrayBufferView): boolean {
    const buffer = view.buffer;
    // Newest first: most views are made after the last growth. A scan of a few identities beats a Set.
    for (let i = this.buffers.length - 1; i >= 0; i--) if (this.buffers[i] === buffer) return true;
    return false;
  }

  /** Bytes in use, for reports. */
  get usedBytes(): number {
    return this.top;
  }

  private ensureSize(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    if (!this.growable) {
      throw new RangeError(
        `the WebAssembly backend's memory (${have / 2 ** 20} MiB, reserved up front because this context has no shared memory) is full: ` +
          `${Math.ceil(bytes / 2 ** 20)} MiB needed; create the backend with a larger reserveMiB`,
      );
    }
    // Grow by at least a quarter of the current size so a long series of allocations grows rarely.
    const needed = Math.ceil((bytes - have) / PAGE);
    try {
      this.memory.grow(Math.max(needed, Math.ceil(have / PAGE / 4)));
    } catch {
      this.memory.grow(needed); // near the maximum: just what is needed (throws RangeError past it)
    }
    this.buffers.push(this.memory.buffer);
  }
}

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
