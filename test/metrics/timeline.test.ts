import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { Timeline } from '../../simulator/metrics/timeline.ts';

describe('Timeline per-second response p95', () => {
  it('is the same whether a second was recorded while current or after many later seconds started (packed)', () => {
    const tl = new Timeline();
    const reference = new Map<number, hdr.Histogram>();
    // Answers arrive out of order: each round touches seconds 0..11, so early seconds get values after being packed.
    let x = 7;
    for (let round = 0; round < 50; round++) {
      for (let s = 0; s < 12; s++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        const responseMs = (x % 500_000) / 1000 + s;
        tl.addRequest(s * 1000 + (round % 1000), 200, responseMs);
        let h = reference.get(s);
        if (!h) reference.set(s, (h = hdr.build({ numberOfSignificantValueDigits: 2, bitBucketSize: 'packed', autoResize: true })));
        h.recordValue(Math.max(0, Math.round(responseMs * 1000)));
      }
    }
    const points = tl.points();
    expect(points).toHaveLength(12);
    for (let s = 0; s < 12; s++) {
      expect(points[s]!.requests).toBe(50);
      expect(points[s]!.p95).toBe(Math.round(reference.get(s)!.getValueAtPercentile(95)) / 1000);
    }
  });

  it('keeps the p95 a second had when it was packed, for a second answered only before that', () => {
    const tl = new Timeline();
    const reference: hdr.Histogram[] = [];
    let x = 11;
    // In order, many seconds: each is packed once four newer ones started and never answered again.
    for (let s = 0; s < 40; s++) {
      const h = hdr.build({ numberOfSignificantValueDigits: 2, autoResize: true });
      for (let i = 0; i < 30; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        const responseMs = (x % 900_000) / 1000;
        tl.addRequest(s * 1000 + i, 200, responseMs);
        h.recordValue(Math.max(0, Math.round(responseMs * 1000)));
      }
      reference.push(h);
    }
    expect(tl.points().map((p) => p.p95)).toEqual(reference.map((h) => Math.round(h.getValueAtPercentile(95)) / 1000));
  });
});
