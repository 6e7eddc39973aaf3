/**
 * `npx tsx bench/cpu-profile-categories.ts FILE.cpuprofile...`: where a thread's time went, from a `node --cpu-prof`
 * profile (one file per thread: `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`, thread 0 the main thread).
 * Self time is grouped by what the code is for (HTTP, the events.jsonl lines, metrics, messages between threads,
 * the trace reader, ...), so a main thread's profile before and after a change compares at a glance. Used for
 * bench/README.md "threads"; figures only.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

// First match wins: the order matters (e.g. the replay threads' own files before the rest of replay/).
const CATEGORIES: [string, (url: string, fn: string) => boolean][] = [
  ['idle', (_u, f) => f === '(idle)'],
  ['garbage collector', (_u, f) => f === '(garbage collector)'],
  ['metrics (HDR histograms, RunMetrics, report)', (u) => /hdr-histogram|\/metrics\//.test(u)],
  ['events.jsonl lines (outcome.js, writer)', (u, f) => /outcome\/outcome|events-writer/.test(u) || f === 'writeBuffer'],
  ['messages between threads (postMessage, clone)', (u, f) => /postMessage|serialize/i.test(f) || /internal\/worker|event_target/.test(u)],
  ['trace read and feed', (u) => /\/trace\/|threads-feeder|run-execute|read-ahead/.test(u)],
  ['threads glue (threads*.ts)', (u) => /replay\/threads/.test(u)],
  ['HTTP (undici, net, llhttp, streams)', (u, f) => /undici|node:net|wasm:|internal\/streams|_http/.test(u) || ['writeLatin1String', 'writeUtf8String', 'writev'].includes(f)],
  ['replay schedule (realtime, schedule, http.ts, monitor)', (u) => /\/replay\//.test(u)],
  ['startup (module loading, compiling)', (u) => /modules|bootstrap|loader/.test(u)],
];
const OTHER = 'other ((program), timers, microtasks, ...)';

for (const file of process.argv.slice(2)) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const us = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const cf = byId.get(id)!;
    const cat = CATEGORIES.find(([, match]) => match(cf.url, cf.functionName))?.[0] ?? OTHER;
    us.set(cat, (us.get(cat) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const total = p.endTime - p.startTime;
  console.log(`${basename(file)}: ${(total / 1e6).toFixed(2)} s`);
  for (const [cat, v] of [...us].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${(v / 1000).toFixed(0).padStart(6)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${cat}`);
  }
}
