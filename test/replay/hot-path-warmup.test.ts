import { describe, expect, it } from 'vitest';
import { wallClock } from '../../simulator/replay/clock.ts';
import { type WarmupReplay, warmHotPath, warmupEvents } from '../../simulator/replay/hot-path-warmup.ts';
import { HOT_PATH_WARMUP, warmReplayHotPath } from '../../simulator/replay/realtime.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';

async function collect(it: AsyncIterable<TraceEvent>): Promise<TraceEvent[]> {
  const out: TraceEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

/** Whether anything answers HTTP at `url` (false on a connection error). */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/health`);
    await res.text();
    return res.ok;
  } catch {
    return false;
  }
}

describe('warmupEvents', () => {
  it('alternates GETs and POSTs with a body, perMs events per ms, spread over the workers in seq order', async () => {
    const events = await collect(warmupEvents(25, 10, 4));
    expect(events).toHaveLength(25);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(events.map((e) => e.t)).toEqual(Array.from({ length: 25 }, (_, i) => Math.floor(i / 10)));
    expect(new Set(events.map((e) => e.worker))).toEqual(new Set([1, 2, 3, 4]));
    expect(events[0]!.req).toEqual({ method: 'GET', path: '/api/health' });
    expect(events[1]!.req).toEqual({ method: 'POST', path: '/api/x', body: { tag: 'OT-1', worker: 1 } });
  });
});

describe('warmHotPath', () => {
  it('replays each round with a fresh driver, metrics and trace, and keeps its server and connections until released', async () => {
    const rounds: Parameters<WarmupReplay>[0][] = [];
    const counts: number[] = [];
    const hold = await warmHotPath({
      rounds: 3,
      events: 10,
      perMs: 5,
      workers: 2,
      replay: async (round) => {
        rounds.push(round);
        counts.push((await collect(round.events)).length);
        // One request over the round's own driver, as the run's dispatch sends it.
        const res = await round.driver.send({ method: 'GET', path: '/api/health' }, {});
        expect(res.status).toBe(200);
      },
    });
    expect(counts).toEqual([10, 10, 10]);
    expect(new Set(rounds.map((r) => r.driver)).size).toBe(3);
    expect(new Set(rounds.map((r) => r.metrics)).size).toBe(3);
    expect(rounds.every((r) => r.url === rounds[0]!.url && r.connections === 2)).toBe(true);
    expect(await answers(rounds[0]!.url)).toBe(true); // held past the warm-up
    await hold.release();
    expect(await answers(rounds[0]!.url)).toBe(false);
  });

  it('closes its server when a round fails, and rejects with the failure', async () => {
    let url = '';
    await expect(warmHotPath({
      rounds: 2,
      events: 1,
      perMs: 1,
      workers: 1,
      replay: async (round) => {
        url = round.url;
        throw new Error('round broke');
      },
    })).rejects.toThrow('round broke');
    expect(await answers(url)).toBe(false);
  });

  it('starts no round after its signal is aborted (a Ctrl-C before t0)', async () => {
    const stop = new AbortController();
    let rounds = 0;
    const hold = await warmHotPath({
      rounds: 3,
      events: 1,
      perMs: 1,
      workers: 1,
      signal: stop.signal,
      replay: async () => {
        rounds += 1;
        stop.abort();
      },
    });
    expect(rounds).toBe(1);
    await hold.release();
  });
});

describe('warmReplayHotPath', () => {
  it('replays every synthetic event through runRealtime and gets each one answered', async () => {
    const hold = await warmReplayHotPath(wallClock());
    try {
      expect(hold.answered).toBe(HOT_PATH_WARMUP.rounds * HOT_PATH_WARMUP.events);
    } finally {
      await hold.release();
    }
  });

  it('stops its round when the signal is aborted, and starts no other', async () => {
    const stop = new AbortController();
    stop.abort();
    const hold = await warmReplayHotPath(wallClock(), stop.signal);
    expect(hold.answered).toBe(0);
    await hold.release();
  });
});
