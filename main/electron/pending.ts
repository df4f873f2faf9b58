/**
 * Requests main sends to a renderer as an event and whose answer comes back later on another
 * channel (a 'save' before closing the window, answered by `window:saved`). Each gets an id; the
 * answer settles the waiting promise. Pure: no Electron.
 */
export class PendingReplies<T> {
  private nextId = 1;
  private readonly waiting = new Map<number, (value: T) => void>();

  /** A new request: its id (to send) and the promise its answer settles. */
  create(): { id: number; reply: Promise<T> } {
    const id = this.nextId++;
    const reply = new Promise<T>((resolve) => this.waiting.set(id, resolve));
    return { id, reply };
  }

  /** Settles request `id` with `value`; false when no such request is waiting (unknown, or already answered). */
  settle(id: number, value: T): boolean {
    const resolve = this.waiting.get(id);
    if (!resolve) return false;
    this.waiting.delete(id);
    resolve(value);
    return true;
  }

  /** Settles every waiting request with `value` (the renderer is gone: nobody will answer). */
  settleAll(value: T): void {
    for (const id of [...this.waiting.keys()]) this.settle(id, value);
  }

  get size(): number {
    return this.waiting.size;
  }
}
