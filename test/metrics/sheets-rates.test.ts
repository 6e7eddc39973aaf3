import { describe, expect, it } from 'vitest';
import { countBursts, rateWindow, slidingPeak } from '../../simulator/metrics/sheets-rates.ts';
import { decodeHistogram, encodeHistogram, newHistogram, recordMs, summarise } from '../../simulator/metrics/histogram.ts';
import { seqFromTraceId, traceIdForSeq, traceparentForSeq } from '../../simulator/outcome/traceparent.ts';

describe('Sheets rates in simulated time', () => {
  it('finds the busiest sliding minute, not the busiest calendar minute', () => {
    const perSecond = new Array(120).fill(0);
    perSecond[50] = 10; // minute 0
    perSecond[70] = 10; // minute 1: a calendar split would see 10 and 10
    expect(slidingPeak(perSecond)).toBe(20);
    expect(rateWindow(perSecond, 120_000)).toEqual({ peakPerMinute: 20, meanPerMinute: 10, total: 20 });
  });

  it('counts 10 s windows with more than 20 requests as bursts', () => {
    const perSecond = new Array(30).fill(0);
    perSecond[3] = 21; // window 0: a burst
    perSecond[15] = 20; // window 1: exactly 20 is not
    perSecond[25] = 11;
    perSecond[29] = 10; // window 2: 21
    expect(countBursts(perSecond)).toBe(2);
  });
});

describe('histograms', () => {
  it('record ms as microseconds and survive encode, decode and merge', () => {
    const a = newHistogram();
    for (const ms of [1, 2, 3, 4, 1000]) recordMs(a, ms);
    const s = summarise(a);
    expect(s.count).toBe(5);
    expect(s.min).toBeCloseTo(1, 2);
    expect(s.max).toBeCloseTo(1000, 0);
    expect(s.p50).toBeCloseTo(3, 2);
    const merged = decodeHistogram(encodeHistogram(a));
    merged.add(decodeHistogram(encodeHistogram(a)));
    recordMs(merged, 60_000); // larger than anything decoded: the accumulator must resize
    expect(summarise(merged).count).toBe(11);
    expect(summarise(merged).max).toBeCloseTo(60_000, -2);
  });
});

describe('traceparent', () => {
  it('derives the trace id from seq and back', () => {
    expect(traceparentForSeq(255)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(seqFromTraceId(traceIdForSeq(123456))).toBe(123456);
    expect(seqFromTraceId('0af7651916cd43dd8448eb211c80319c')).toBeNull();
    expect(seqFromTraceId(undefined)).toBeNull();
  });
});
