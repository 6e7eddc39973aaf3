/** A set of small integers (0..capacity-1) with O(1) add, remove and uniform pick; its order is deterministic. */
export class IndexedSet {
  private readonly items: number[] = [];
  private readonly pos: Int32Array;

  constructor(capacity: number) {
    this.pos = new Int32Array(capacity).fill(-1);
  }

  get size(): number {
    return this.items.length;
  }

  has(i: number): boolean {
    return this.pos[i]! >= 0;
  }

  /** Add or remove `i` so that membership equals `member`. */
  set(i: number, member: boolean): void {
    const at = this.pos[i]!;
    if (member && at < 0) {
      this.pos[i] = this.items.length;
      this.items.push(i);
    } else if (!member && at >= 0) {
      // Swap-remove: the last item takes the freed slot.
      const last = this.items.pop()!;
      if (last !== i) {
        this.items[at] = last;
        this.pos[last] = at;
      }
      this.pos[i] = -1;
    }
  }

  /** The item at position k (0 <= k < size); with a uniform k this is a uniform pick. */
  at(k: number): number {
    return this.items[k]!;
  }

  /** A snapshot of the members, in set order. */
  values(): number[] {
    return this.items.slice();
  }
}
