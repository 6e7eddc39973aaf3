import { describe, expect, it } from 'vitest';
import { DEFAULT_VIRTUAL_START_MS, virtualClock, wallClock } from '../../mock-sheets/clock.ts';

describe('wallClock', () => {
  it('runs from startMs at speed × the monotonic elapsed time', () => {
    let mono = 1000;
    const clock = wallClock({ speed: 10, startMs: 5_000_000, monotonic: () => mono });
    expect(clock.mode).toBe('wall');
    expect(clock.speed).toBe(10);
    expect(clock.now()).toBe(5_000_000);
    mono += 6000; // 6 real seconds = one mock minute at speed 10
    expect(clock.now()).toBe(5_060_000);
  });

  it('starts at wallNow() when no start is given', () => {
    const clock = wallClock({ wallNow: () => 1_700_000_000_000, monotonic: () => 0 });
    expect(clock.now()).toBe(1_700_000_000_000);
  });

  it('sleeps simulated milliseconds: a latency of 250 ms at speed 100 waits 2.5 ms of real time', async () => {
    const slept: number[] = [];
    const clock = wallClock({ speed: 100, startMs: 0, monotonic: () => 0, sleeper: async (ms) => void slept.push(ms) });
    await clock.sleep(250);
    expect(slept).toEqual([2.5]);
  });

  it('rebases: trace t = 0 reads as the given time, and time runs on from there at its speed', () => {
    let mono = 1000;
    const clock = wallClock({ speed: 10, startMs: 0, monotonic: () => mono });
    mono = 1300; // 300 ms of start-up: 3 simulated seconds
    expect(clock.now()).toBe(3000);
    clock.rebase(1_000_000);
    expect(clock.now()).toBe(1_000_000);
    mono = 1400;
    expect(clock.now()).toBe(1_001_000);
  });

  it('refuses to be set and rejects a bad speed', () => {
    const clock = wallClock({ startMs: 0, monotonic: () => 0 });
    expect(() => clock.set(1)).toThrow(/wall mode/);
    expect(() => wallClock({ speed: 0 })).toThrow(/clock.speed/);
  });
});

describe('virtualClock', () => {
  it('starts at a fixed epoch, not today', () => {
    expect(new Date(DEFAULT_VIRTUAL_START_MS).toISOString()).toBe('2026-03-02T11:00:00.000Z');
    expect(virtualClock().now()).toBe(DEFAULT_VIRTUAL_START_MS);
  });

  it('returns what was last set and never goes backwards', () => {
    const clock = virtualClock(1000);
    clock.set(5000);
    expect(clock.now()).toBe(5000);
    clock.set(5000);
    expect(() => clock.set(4999)).toThrow(/backwards/);
    expect(clock.now()).toBe(5000);
  });

  it('resolves sleep at once without moving time', async () => {
    const clock = virtualClock(1000);
    await clock.sleep(60_000);
    expect(clock.now()).toBe(1000);
  });
});
