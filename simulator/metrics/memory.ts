/** Memory sampling: RSS of a process tree (from /proc) or of this process, once a second. */
import { readFileSync, readdirSync } from 'node:fs';
import type { MemoryReport, MemorySample } from '../report/model.ts';

const MB = 1024 * 1024;

function vmRssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
        if (text) out.push(...text.split(/\s+/).map(Number));
      } catch {
        // the task ended between the listing and the read
      }
    }
  } catch {
    // the process is gone
  }
  return out;
}

/** RSS in MB of a process and all its descendants (a shell's child backend included); 0 when unreadable. */
export function processTreeRssMb(pid: number): number {
  let kb = 0;
  const seen = new Set<number>();
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    kb += vmRssKb(p);
    stack.push(...childrenOf(p));
  }
  return Math.round((kb / 1024) * 10) / 10;
}

/** RSS in MB of this process. */
export function selfRssMb(): number {
  return Math.round((process.memoryUsage.rss() / MB) * 10) / 10;
}

/** Collects samples of one RSS source; `stop()` gives the report section. */
export class MemorySampler {
  private samples: MemorySample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly started: number;

  constructor(private readonly read: () => number, private readonly nowMs: () => number, intervalMs = 1000) {
    this.started = nowMs();
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Take one sample now. */
  sample(): void {
    const rssMb = this.read();
    if (rssMb > 0) this.samples.push({ s: Math.round((this.nowMs() - this.started) / 100) / 10, rssMb });
  }

  /** Stop sampling and summarise (baseline = first sample). */
  stop(): MemoryReport {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return summariseMemory(this.samples);
  }
}

/** Baseline, peak and increase of a list of samples. */
export function summariseMemory(samples: MemorySample[]): MemoryReport {
  if (samples.length === 0) return { baselineMb: 0, peakMb: 0, increaseMb: 0, samples: [] };
  const baselineMb = samples[0]!.rssMb;
  const peakMb = Math.max(...samples.map((s) => s.rssMb));
  return { baselineMb, peakMb, increaseMb: Math.round((peakMb - baselineMb) * 10) / 10, samples };
}
