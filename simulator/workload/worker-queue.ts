/** A min-heap of virtual workers keyed by (next time, worker number): who acts next in a trace. */
export class WorkerQueue<T extends { nextT: number; k: number }> {
  private readonly heap: T[] = [];

  get size(): number {
    return this.heap.length;
  }

  private less(a: T, b: T): boolean {
    return a.nextT < b.nextT || (a.nextT === b.nextT && a.k < b.k);
  }

  push(item: T): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      const tmp = h[i]!;
      h[i] = h[p]!;
      h[p] = tmp;
      i = p;
    }
  }

  /** The earliest worker, without removing it. */
  peek(): T | undefined {
    return this.heap[0];
  }

  /** Remove and return the earliest worker. */
  pop(): T | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      this.siftDown();
    }
    return top;
  }

  /**
   * The earliest worker (`peek()`) has just moved to a later time: put it back in order. Same result as pop() then
   * push(), in one pass down the heap instead of two (keys are unique, so the order of pops cannot differ).
   */
  updateTop(): void {
    if (this.heap.length > 1) this.siftDown();
  }

  private siftDown(): void {
    const h = this.heap;
    const n = h.length;
    const item = h[0]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let m = l;
      if (r < n && this.less(h[r]!, h[l]!)) m = r;
      if (!this.less(h[m]!, item)) break;
      h[i] = h[m]!;
      i = m;
    }
    h[i] = item;
  }
}
