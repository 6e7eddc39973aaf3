/** The per-second timeline of a run, in simulated (trace) seconds. */
import type { StatusClass, TimelinePoint } from '../report/model.ts';
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { type HistogramWire, addWire, histogramToWire } from './histogram-wire.ts';
import { statusClass } from './status-class.ts';

interface Second {
  requests: number;
  errors: number;
  // 2 digits, packed once the second is no longer being answered (see hotHistogram): thousands of these may live
  // at once, and a per-second p95 needs no more precision.
  hist: Histogram | null;
  classes: Partial<Record<StatusClass, number>>;
  writes: number;
  reads: number;
  writesAdmitted: number;
  readsAdmitted: number;
  status429: number;
}

const HOT_SECONDS = 4;

/** One second of a timeline as plain data (`Timeline.toWire`). */
export interface SecondWire extends Omit<Second, 'hist'> {
  hist: HistogramWire | null;
}

/** Accumulates requests (by intended second) and Sheets calls (by their simulated second). */
export class Timeline {
  private seconds: Second[] = [];
  /**
   * The p95 of a second, taken from its plain histogram when it was packed and kept until it gets another answer:
   * a percentile walks the counts, which is ~50x slower on a packed histogram, and a report asks for every second's.
   */
  private readonly packedP95 = new Map<Second, number>();

  private at(s: number): Second {
    const i = Math.max(0, Math.floor(s));
    while (this.seconds.length <= i) {
      this.seconds.push({ requests: 0, errors: 0, hist: null, classes: {}, writes: 0, reads: 0, writesAdmitted: 0, readsAdmitted: 0, status429: 0 });
    }
    return this.seconds[i]!;
  }

  /** A request intended at trace time `tMs`; errors are transport failures and 5xx. */
  addRequest(tMs: number, status: number | null, responseMs: number): void {
    const sec = this.at(tMs / 1000);
    sec.requests += 1;
    const cls = statusClass(status);
    if (cls === 'error' || cls === '5xx') sec.errors += 1;
    sec.classes[cls] = (sec.classes[cls] ?? 0) + 1;
    if (!sec.hist) sec.hist = this.hotHistogram(sec);
    else this.packedP95.delete(sec);
    sec.hist.recordValue(Math.max(0, Math.round(responseMs * 1000)));
  }

  // Recording into a packed histogram costs ~10x a plain one (a profile at 20,000 events/s showed it), so the few
  // seconds being answered now get a plain histogram, packed (same digits, same percentiles) once HOT_SECONDS newer
  // seconds have started: thousands of plain ones would hold tens of MB.
  private hot: Second[] = [];

  private hotHistogram(sec: Second): Histogram {
    let plain: Histogram | null = null;
    if (this.hot.length >= HOT_SECONDS) {
      const old = this.hot.shift()!;
      const packed = hdr.build({ numberOfSignificantValueDigits: 2, bitBucketSize: 'packed', autoResize: true });
      if (old.hist) {
        packed.add(old.hist);
        this.packedP95.set(old, old.hist.getValueAtPercentile(95));
        plain = old.hist;
        plain.reset();
      }
      old.hist = packed;
    }
    this.hot.push(sec);
    // The packed second's plain histogram, emptied: its counts already span the run's response times, where a new one
    // would grow to them again, a copy of its counts per doubling (an exact run starts ~300 seconds in ~1 s).
    return plain ?? hdr.build({ numberOfSignificantValueDigits: 2, autoResize: true });
  }

  /** A Sheets call made at simulated time `simMs` (ms since the trace start); a 2xx was admitted by the quota. */
  addCall(simMs: number, kind: 'read' | 'write', status: number): void {
    const sec = this.at(simMs / 1000);
    const admitted = status >= 200 && status < 300;
    if (kind === 'write') {
      sec.writes += 1;
      if (admitted) sec.writesAdmitted += 1;
    } else {
      sec.reads += 1;
      if (admitted) sec.readsAdmitted += 1;
    }
    if (status === 429) sec.status429 += 1;
  }

  /** Add Sheets counts for simulated second `s` (merging shard timelines). */
  addSheetsCounts(s: number, writes: number, reads: number, status429: number, writesAdmitted = 0, readsAdmitted = 0): void {
    const sec = this.at(s);
    sec.writes += writes;
    sec.reads += reads;
    sec.status429 += status429;
    sec.writesAdmitted += writesAdmitted;
    sec.readsAdmitted += readsAdmitted;
  }

  /** Plain data for postMessage (a replay thread's timeline), for `mergeWire`. */
  toWire(): SecondWire[] {
    return this.seconds.map((sec) => ({ ...sec, classes: { ...sec.classes }, hist: sec.hist ? histogramToWire(sec.hist) : null }));
  }

  /** Add a timeline given by `toWire`, second by second (its requests, statuses, response times and Sheets calls). */
  mergeWire(w: SecondWire[]): void {
    w.forEach((sec, s) => {
      const into = this.mergeCounts(s, sec);
      if (sec.hist) addWire(this.mergedHistogram(into), sec.hist);
    });
  }

  private mergeCounts(s: number, o: Omit<Second, 'hist'>): Second {
    const sec = this.at(s);
    this.packedP95.delete(sec);
    sec.requests += o.requests;
    sec.errors += o.errors;
    for (const [cls, n] of Object.entries(o.classes) as [StatusClass, number][]) sec.classes[cls] = (sec.classes[cls] ?? 0) + n;
    sec.writes += o.writes;
    sec.reads += o.reads;
    sec.writesAdmitted += o.writesAdmitted;
    sec.readsAdmitted += o.readsAdmitted;
    sec.status429 += o.status429;
    return sec;
  }

  // A merged second is not being answered any more: packed, like the seconds a live run has moved past.
  private mergedHistogram(sec: Second): Histogram {
    return (sec.hist ??= hdr.build({ numberOfSignificantValueDigits: 2, bitBucketSize: 'packed', autoResize: true }));
  }

  /** Admitted (2xx) Sheets writes per second. */
  writesAdmittedPerSecond(): number[] {
    return this.seconds.map((s) => s.writesAdmitted);
  }

  /** Admitted (2xx) Sheets reads per second. */
  readsAdmittedPerSecond(): number[] {
    return this.seconds.map((s) => s.readsAdmitted);
  }

  /** Sheets writes per second (index = simulated second). */
  writesPerSecond(): number[] {
    return this.seconds.map((s) => s.writes);
  }

  /** Sheets reads per second. */
  readsPerSecond(): number[] {
    return this.seconds.map((s) => s.reads);
  }

  /** One point per second from 0 to the last second with anything in it. */
  points(): TimelinePoint[] {
    return this.seconds.map((sec, s) => ({
      s,
      requests: sec.requests,
      errors: sec.errors,
      p95: sec.hist ? Math.round(this.packedP95.get(sec) ?? sec.hist.getValueAtPercentile(95)) / 1000 : 0,
      statusClasses: sortedClasses(sec.classes),
      sheetsWrites: sec.writes,
      sheetsReads: sec.reads,
      sheetsWritesAdmitted: sec.writesAdmitted,
      sheetsReadsAdmitted: sec.readsAdmitted,
      status429: sec.status429,
    }));
  }
}

// In class order, not arrival order: a merged timeline's seconds then print as one thread's would.
function sortedClasses(c: Partial<Record<StatusClass, number>>): Partial<Record<StatusClass, number>> {
  const out: Partial<Record<StatusClass, number>> = {};
  for (const k of (Object.keys(c) as StatusClass[]).sort()) out[k] = c[k]!;
  return out;
}
