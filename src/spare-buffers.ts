/**
 * Buffers given back once nothing reads them, kept within a byte budget for a later use: a fresh
 * megabyte costs ≈ 250 page faults on this VM (bench/HISTORY.md, items 18 and 22). Whoever gives a
 * buffer back gives up every view of it; a transferred buffer belongs to one thread at a time (the
 * other's view is detached). A reused one may hold earlier bytes past the length written; only that
 * length is ever read.
 */
export class SpareBuffers {
  readonly #spares: ArrayBuffer[] = [];
  #bytes = 0;

  constructor(readonly budgetBytes: number) {}

  /** The smallest spare of `least` to `most` bytes, taken out, if any. */
  take(least: number, most = Infinity): ArrayBuffer | undefined {
    let best = -1;
    for (let i = 0; i < this.#spares.length; i++) {
      const size = this.#spares[i]!.byteLength;
      if (size >= least && size <= most && (best < 0 || size < this.#spares[best]!.byteLength)) best = i;
    }
    if (best < 0) return undefined;
    const [buffer] = this.#spares.splice(best, 1);
    this.#bytes -= buffer!.byteLength;
    return buffer;
  }

  /** Keeps `buffer` for later; over the budget the smallest spares go first (a larger one fits more). */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength > this.budgetBytes) return;
    this.#spares.push(buffer);
    this.#bytes += buffer.byteLength;
    while (this.#bytes > this.budgetBytes) {
      let smallest = 0;
      for (let i = 1; i < this.#spares.length; i++) if (this.#spares[i]!.byteLength < this.#spares[smallest]!.byteLength) smallest = i;
      this.#bytes -= this.#spares.splice(smallest, 1)[0]!.byteLength;
    }
  }

  get size(): number {
    return this.#spares.length;
  }
}
