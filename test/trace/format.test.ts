import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceError } from '../../simulator/trace/error.ts';
import { collectTrace, readTrace } from '../../simulator/trace/reader.ts';
import type { TraceEvent, TraceHeader } from '../../simulator/trace/types.ts';
import { validateEvent } from '../../simulator/trace/validate.ts';
import { TraceWriter } from '../../simulator/trace/writer.ts';

const header: TraceHeader = {
  format: 'sheetsim-trace', version: 1, seed: 7, profile: 'zeues',
  params: { workers: 2, durationMs: 60_000, conflicts: 0.05, thinkMinMs: 5000, thinkMaxMs: 15000, startDate: '2026-03-02' },
  world: { seed: 7, spools: 10, workers: 10, startDate: '2026-03-02' },
};

function ev(seq: number, t: number, extra: Partial<TraceEvent> = {}): TraceEvent {
  return {
    seq, t, worker: 1 + (seq % 2), op: 'metricas', scenario: 'metricas',
    req: { method: 'GET', path: `/api/v4/uniones/OT-00${seq % 9 + 1}/metricas` }, expect: { status: 200 }, ...extra,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetsim-trace-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeTrace(name: string, events: TraceEvent[]): Promise<string> {
  const path = join(dir, name);
  const w = await TraceWriter.open(path, header);
  for (const e of events) await w.write(e);
  await w.close();
  return path;
}

/** Rewrite line `n` (1-based) of a file with `edit`, keeping everything else. */
async function editLine(src: string, dst: string, n: number, edit: (line: string) => string | undefined): Promise<string> {
  const lines = (await readFile(src, 'utf8')).split('\n');
  const out = edit(lines[n - 1]!);
  if (out === undefined) lines.splice(n - 1, 1);
  else lines[n - 1] = out;
  await writeFile(dst, lines.join('\n'));
  return dst;
}

async function errorOf(path: string): Promise<TraceError> {
  try {
    await collectTrace(path, 'trace.jsonl');
  } catch (err) {
    expect(err).toBeInstanceOf(TraceError);
    return err as TraceError;
  }
  throw new Error('expected the trace to be rejected');
}

describe('trace format round trip', () => {
  it('reads back exactly what was written, with a footer that counts and hashes it', async () => {
    const events = [
      ev(0, 0), ev(1, 0), ev(2, 1500),
      ev(3, 1500, { op: 'finalizar', scenario: 'finalizar_sold_5', req: { method: 'POST', path: '/api/v4/occupation/finalizar', body: { tag_spool: 'OT-001', worker_id: 3, operacion: 'SOLD', selected_unions: ['OT-001+1'] } }, expect: { status: 200, action_taken: 'PAUSAR' } }),
      ev(4, 2000, { expect: undefined }),
    ];
    const path = await writeTrace('round.jsonl', events);
    const back = await collectTrace(path);
    expect(back.header).toEqual(header);
    expect(back.events).toEqual(events.map((e) => (e.expect === undefined ? (({ expect: _x, ...rest }) => rest)(e) : e)));
    expect(back.footer.events).toBe(5);
    expect(back.footer.sha256).toMatch(/^[0-9a-f]{64}$/);
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('{"seq":0,"t":0,"worker":1,"op":"metricas","scenario":"metricas","req":{"method":"GET","path":"/api/v4/uniones/OT-001/metricas"},"expect":{"status":200}}');
    // No temp file left behind.
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('an empty trace (header and footer only) is valid', async () => {
    const back = await collectTrace(await writeTrace('empty.jsonl', []));
    expect(back.events).toEqual([]);
    expect(back.footer.events).toBe(0);
  });

  it('the writer refuses events out of order and abort leaves no file under the final name', async () => {
    const path = join(dir, 'aborted.jsonl');
    const w = await TraceWriter.open(path, header);
    w.write(ev(0, 100));
    expect(() => w.write(ev(1, 50))).toThrow(/t must be a non-decreasing/);
    expect(() => w.write(ev(0, 200))).toThrow(/seq must increase/);
    await w.abort();
    expect((await readdir(dir)).filter((f) => f.startsWith('aborted'))).toEqual([]);
  });
});

describe('trace validation errors name the line and the field', () => {
  let good: string;
  beforeAll(async () => {
    good = await writeTrace('good.jsonl', [ev(0, 0), ev(1, 1000), ev(2, 2000), ev(3, 3000)]);
  });

  it('bad JSON line', async () => {
    const err = await errorOf(await editLine(good, join(dir, 'badjson.jsonl'), 3, (l) => l.slice(0, 20)));
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/^trace\.jsonl:3: not valid JSON/);
  });

  it('missing field', async () => {
    const err = await errorOf(await editLine(good, join(dir, 'missing.jsonl'), 2, (l) => l.replace('"op":"metricas",', '')));
    expect(err.line).toBe(2);
    expect(err.field).toBe('op');
    expect(err.message).toBe("trace.jsonl:2: field 'op' is missing");
  });

  it('wrong type', async () => {
    const err = await errorOf(await editLine(good, join(dir, 'type.jsonl'), 4, (l) => l.replace('"t":2000', '"t":-3')));
    expect(err.message).toBe("trace.jsonl:4: field 't' must be a non-negative integer, got -3");
    const err2 = await errorOf(await editLine(good, join(dir, 'type2.jsonl'), 2, (l) => l.replace('"method":"GET"', '"method":7')));
    expect(err2.field).toBe('req.method');
    const err3 = await errorOf(await editLine(good, join(dir, 'type3.jsonl'), 2, (l) => l.replace('"status":200', '"status":"200"')));
    expect(err3.field).toBe('expect.status');
  });

  it('time going backwards', async () => {
    const err = await errorOf(await editLine(good, join(dir, 'back.jsonl'), 4, (l) => l.replace('"t":2000', '"t":500')));
    expect(err.line).toBe(4);
    expect(err.field).toBe('t');
    expect(err.message).toMatch(/goes backwards: 500 after 1000/);
  });

  it('seq not increasing', async () => {
    const err = await errorOf(await editLine(good, join(dir, 'seq.jsonl'), 3, (l) => l.replace('"seq":1', '"seq":0')));
    expect(err.field).toBe('seq');
    expect(err.line).toBe(3);
  });

  it('footer count mismatch (a line removed)', async () => {
    const err = await errorOf(await editLine(good, join(dir, 'count.jsonl'), 3, () => undefined));
    expect(err.field).toBe('events');
    expect(err.message).toMatch(/footer says 4 events, the file has 3/);
  });

  it('footer hash mismatch (an event edited, a header edited)', async () => {
    const err = await errorOf(await editLine(good, join(dir, 'hash.jsonl'), 3, (l) => l.replace('"status":200', '"status":201')));
    expect(err.field).toBe('sha256');
    expect(err.line).toBe(6);
    const err2 = await errorOf(await editLine(good, join(dir, 'hash2.jsonl'), 1, (l) => l.replace('"seed":7', '"seed":8')));
    expect(err2.field).toBe('sha256');
  });

  it('truncation: no footer, or a cut last line', async () => {
    const full = await readFile(good, 'utf8');
    const lines = full.split('\n');
    await writeFile(join(dir, 'trunc.jsonl'), lines.slice(0, 4).join('\n') + '\n');
    const err = await errorOf(join(dir, 'trunc.jsonl'));
    expect(err.message).toBe('trace.jsonl: truncated after line 4 (no footer)');
    await writeFile(join(dir, 'cut.jsonl'), full.slice(0, full.length - 40));
    const err2 = await errorOf(join(dir, 'cut.jsonl'));
    expect(err2.message).toMatch(/truncated/);
    expect(err2.line).toBe(6);
  });

  it('bad header and content after the footer', async () => {
    const err = await errorOf(await editLine(good, join(dir, 'hdr.jsonl'), 1, (l) => l.replace('"version":1', '"version":2')));
    expect(err.line).toBe(1);
    expect(err.field).toBe('version');
    const err2 = await errorOf(await editLine(good, join(dir, 'after.jsonl'), 7, () => '{"seq":9}\n'));
    expect(err2.message).toMatch(/content after the footer/);
  });

  it('errors from iteration also reject the footer promise', async () => {
    const r = await readTrace(await editLine(good, join(dir, 'bad2.jsonl'), 3, () => '{'));
    await expect((async () => {
      for await (const _ of r.events) { /* drain */ }
    })()).rejects.toThrow(/line|JSON/);
    await expect(r.footer).rejects.toBeInstanceOf(TraceError);
  });

  it('validateEvent is usable on its own', () => {
    expect(validateEvent(JSON.parse(JSON.stringify(ev(0, 5))), 2).t).toBe(5);
    expect(() => validateEvent({ seq: 0, t: 1, worker: 0, op: 'metricas', scenario: 'x', req: { method: 'GET', path: '/' } }, 9, 'f.jsonl'))
      .toThrow("f.jsonl:9: field 'worker' must be an integer >= 1, got 0");
  });
});
