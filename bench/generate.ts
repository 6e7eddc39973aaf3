// Generation speed and memory for a ~1,000,000-event trace. Prints figures; asserts nothing (see bench/README.md).
// Run: npx tsx bench/generate.ts [--events N] [--profile zeues|locust]
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readTrace } from '../simulator/trace/reader.ts';
import { generateTrace } from '../simulator/workload/generate.ts';
import { defaultTraceOptions, type TraceOptions } from '../simulator/workload/profiles.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, profile: { type: 'string', default: 'zeues' } } });
const target = Number(values.events);
const workers = 1000;
// A worker sends one request per 10 s on average (think 5–15 s).
const durationMs = Math.ceil((target / workers) * 10_000);
const options: TraceOptions = { ...defaultTraceOptions, profile: values.profile as TraceOptions['profile'], workers, durationMs, spools: 2000, payroll: 1200 };

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const dir = await mkdtemp(join(tmpdir(), 'sheetsim-bench-'));
try {
  const path = join(dir, 'bench.jsonl');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const res = await generateTrace(options, path);
  const genMs = performance.now() - t0;
  const genCpu = process.cpuUsage(cpu0);
  const genCpuS = (genCpu.user + genCpu.system) / 1e6;
  const rssAfterGenerate = peakRss;
  const size = (await stat(path)).size;
  const t1 = performance.now();
  const reader = await readTrace(path);
  let n = 0;
  for await (const _ of reader.events) n += 1;
  await reader.footer;
  const readMs = performance.now() - t1;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
  console.log(`profile ${options.profile}: ${workers} workers, ${options.spools} spools, ${(durationMs / 60_000).toFixed(0)} simulated minutes`);
  console.log(`generate: ${res.events} events in ${(genMs / 1000).toFixed(2)} s = ${Math.round(res.events / (genMs / 1000)).toLocaleString('en-US')} events/s wall, file ${mb(size)}`);
  // On a shared machine wall time includes waiting for a core; events per CPU-second is the figure that compares.
  console.log(`generate: ${genCpuS.toFixed(2)} s of CPU = ${Math.round(res.events / genCpuS).toLocaleString('en-US')} events per CPU-second`);
  console.log(`load average during the run: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).availableParallelism()} cores`);
  console.log(`read+validate: ${n} events in ${(readMs / 1000).toFixed(2)} s = ${Math.round(n / (readMs / 1000)).toLocaleString('en-US')} events/s`);
  console.log(`peak RSS: ${mb(rssAfterGenerate)} during generate, ${mb(peakRss)} overall (sampled every 50 ms; process.resourceUsage maxRSS ${mb(process.resourceUsage().maxRSS * 1024)})`);
} finally {
  clearInterval(sampler);
  await rm(dir, { recursive: true, force: true });
}
