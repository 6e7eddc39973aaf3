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

  pop(): T | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        const tmp = h[i]!;
        h[i] = h[m]!;
        h[m] = tmp;
        i = m;
      }
    }
    return top;
  }
}
