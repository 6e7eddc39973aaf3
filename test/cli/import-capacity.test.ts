/** `sheetsim import` and `sheetsim capacity` as a user runs them: output, files, exit codes. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../e2e/helpers.ts';

const CSV = [
  'id,timestamp,evento_tipo,tag_spool,worker_id,worker_nombre,operacion,accion,fecha_operacion,metadata_json,N_UNION',
  'a1,02-03-2026 08:00:03,TOMAR_SPOOL,OT-007,4,MR(4),ARM,TOMAR,02-03-2026,{},',
  'a2,02-03-2026 08:00:12,UNION_ARM_REGISTRADA,OT-007,4,Rojas(4),ARM,COMPLETAR,02-03-2026,"{""union_ids"": [""OT-007+1""]}",',
  'a3,02-03-2026 08:00:12,UNION_ARM_REGISTRADA,OT-007,4,Rojas(4),ARM,COMPLETAR,02-03-2026,"{""union_id"": ""OT-007+1""}",1',
  'a4,02-03-2026 08:05:00,SEED_LOAD_TEST,OT-001,,,ARM,,02-03-2026,{},',
].join('\n') + '\n';

describe('sheetsim import', () => {
  it('writes a trace, says what it could not map, and --strict turns that into exit 1', async () => {
    const dir = tempDir('sheetsim-import-cli-');
    const csv = join(dir, 'metadata.csv');
    writeFileSync(csv, CSV);
    const res = await cli(['import', csv, '--out', join(dir, 't.jsonl')]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^sha256: [0-9a-f]{64}$/m);
    expect(res.stdout).toContain('events: 2 requests from 4 Metadata rows');
    expect(res.stdout).toMatch(/1 {2}unknown event type SEED_LOAD_TEST \(line 5\)/);
    const inspect = await cli(['inspect', join(dir, 't.jsonl')]);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(inspect.stdout).toContain('profile    import, seed 0');
    const strict = await cli(['import', csv, '--strict', '--out', join(dir, 't2.jsonl')]);
    expect(strict.code).toBe(1);
  });

  it('exits 2 naming the problem: no source, a missing file, a bad window, --sheets without its id', async () => {
    expect((await cli(['import'])).code).toBe(2);
    const missing = await cli(['import', '/nonexistent/m.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read /nonexistent/m.csv');
    const dir = tempDir('sheetsim-import-cli-');
    writeFileSync(join(dir, 'm.csv'), CSV);
    const window = await cli(['import', join(dir, 'm.csv'), '--from', 'yesterday']);
    expect(window.code).toBe(2);
    expect(window.stderr).toContain("--from expects a time");
    const sheets = await cli(['import', '--sheets', 'http://127.0.0.1:9', '--token', 't']);
    expect(sheets.code).toBe(2);
    expect(sheets.stderr).toContain('--spreadsheet-id');
  });
});

describe('sheetsim capacity', () => {
  it('measures a sweep in exact mode and writes the curve as CSV, HTML and JSON', async () => {
    const dir = tempDir('sheetsim-capacity-cli-');
    const res = await cli(['capacity', '--sweep', '1,2', '--duration', '1m', '--no-confirm', '--out', dir]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.split('\n')[0]).toMatch(/^lean: (at least )?\d+ workers? at 5–15 s think time/);
    expect(res.stdout).toMatch(/^workers\s+requests/m);
    for (const f of ['capacity.csv', 'capacity.html', 'capacity.json', 'runs/w1/report.json', 'runs/w2/report.json']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, 'capacity.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
    // Deterministic: the same sweep gives the same digests.
    const again = tempDir('sheetsim-capacity-cli-');
    expect((await cli(['capacity', '--sweep', '1,2', '--duration', '1m', '--no-confirm', '--out', again])).code).toBe(0);
    const digests = (d: string) => (JSON.parse(readFileSync(join(d, 'capacity.json'), 'utf8')) as { points: { digest: string }[] }).points.map((p) => p.digest);
    expect(digests(again)).toEqual(digests(dir));
  });

  it('exits 2 on bad usage', async () => {
    expect((await cli(['capacity', '--sweep', '3..1'])).code).toBe(2);
    expect((await cli(['capacity', '--think-min', '20s', '--think-max', '10s'])).code).toBe(2);
    expect((await cli(['capacity', '--target-cmd', 'x', '--backend-profile', 'zeues'])).code).toBe(2);
  });
});
