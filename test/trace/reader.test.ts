import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceError } from '../../simulator/trace/error.ts';
import { collectTrace } from '../../simulator/trace/reader.ts';
import type { TraceEvent, TraceHeader } from '../../simulator/trace/types.ts';
import { TraceWriter } from '../../simulator/trace/writer.ts';

// The reader takes the file in 1 MiB chunks and hashes chunk by chunk; these traces cross several chunk boundaries,
// with multi-byte characters on the way, so a line or a character cut at a boundary would show.
const header: TraceHeader = {
  format: 'sheetsim-trace', version: 1, seed: 7, profile: 'zeues',
  params: { workers: 2, durationMs: 60_000, conflicts: 0.05, thinkMinMs: 5000, thinkMaxMs: 15000, startDate: '2026-03-02' },
  world: { seed: 7, spools: 10, workers: 10, startDate: '2026-03-02' },
};

const events: TraceEvent[] = Array.from({ length: 9000 }, (_, i) => ({
  seq: i, t: i * 3, worker: 1 + (i % 40), op: 'iniciar', scenario: 'iniciar',
  req: { method: 'POST', path: '/api/v4/occupation/iniciar', body: { tag_spool: `OT-${i}`, worker_nombre: `Núñez ${'ñ€😀'.repeat(i % 17)}(${i})`, pad: 'x'.repeat(i % 300) } },
  expect: { status: i % 7 === 0 ? 409 : 200 },
}));

let dir: string;
let path: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetsim-reader-'));
  path = join(dir, 'big.jsonl');
  const w = await TraceWriter.open(path, header);
  for (const e of events) await w.write(e);
  await w.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trace reader across chunks', () => {
  it('reads back every event of a multi-megabyte trace, and the footer hash is the hash of the lines before it', async () => {
    const bytes = await readFile(path);
    expect(bytes.length).toBeGreaterThan(3 << 20);
    const back = await collectTrace(path);
    expect(back.events).toEqual(events);
    const footerStart = bytes.lastIndexOf(10, bytes.length - 2) + 1;
    expect(back.footer.sha256).toBe(createHash('sha256').update(bytes.subarray(0, footerStart)).digest('hex'));
  });

  it('accepts a footer without its final newline; rejects an edit deep in the file', async () => {
    const text = await readFile(path, 'utf8');
    const noNl = join(dir, 'no-newline.jsonl');
    await writeFile(noNl, text.slice(0, -1));
    expect((await collectTrace(noNl)).events.length).toBe(events.length);
    const edited = join(dir, 'edited.jsonl');
    await writeFile(edited, text.replace('"OT-7000"', '"OT-7001"'));
    const err = await collectTrace(edited, 'edited.jsonl').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TraceError);
    expect((err as TraceError).message).toMatch(/^edited\.jsonl:9002: footer sha256 .* does not match the content/);
  });

  it('names the right line for a bad line past the first chunk', async () => {
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[8000] = '{"seq":';
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, lines.join('\n'));
    const err = await collectTrace(bad, 'bad.jsonl').then(() => undefined, (e: unknown) => e);
    expect((err as TraceError).line).toBe(8001);
    expect((err as TraceError).message).toMatch(/not valid JSON/);
  });
});
