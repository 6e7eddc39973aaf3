import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../simulator/workload/random.ts';
import { WorkerQueue } from '../../simulator/workload/worker-queue.ts';

interface W { k: number; nextT: number }

describe('worker queue', () => {
  it('updateTop after moving the earliest worker gives the same order as pop then push', () => {
    const rng = seededRandom(9, 'queue');
    const a = new WorkerQueue<W>();
    const b = new WorkerQueue<W>();
    for (let k = 1; k <= 300; k++) {
      const nextT = rng.int(0, 50); // many equal times: ties break on k
      a.push({ k, nextT });
      b.push({ k, nextT });
    }
    const orderA: string[] = [];
    const orderB: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const step = rng.int(0, 30);
      const wa = a.pop()!;
      orderA.push(`${wa.nextT}/${wa.k}`);
      wa.nextT += step;
      a.push(wa);
      const wb = b.peek()!;
      orderB.push(`${wb.nextT}/${wb.k}`);
      wb.nextT += step;
      b.updateTop();
    }
    expect(orderB).toEqual(orderA);
    expect(b.size).toBe(300);
  });

  it('pops in (time, worker) order and handles one or no worker', () => {
    const q = new WorkerQueue<W>();
    expect(q.pop()).toBeUndefined();
    q.push({ k: 1, nextT: 5 });
    q.peek()!.nextT = 9;
    q.updateTop();
    q.push({ k: 3, nextT: 9 });
    q.push({ k: 2, nextT: 9 });
    q.push({ k: 4, nextT: 1 });
    expect([q.pop(), q.pop(), q.pop(), q.pop()].map((w) => w!.k)).toEqual([4, 1, 2, 3]);
  });
});
