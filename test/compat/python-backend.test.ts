/**
 * The founding users' stack, unchanged, under `sheetsim run --target-cmd`: a FastAPI + gspread 6.2.1 backend
 * (test/compat/python-backend/app.py) under uvicorn, configured only through `--target-env` and reaching the mock
 * only through the Python adapter. Needs python3 and ../shared/vendor/python (CI has both); skips, saying why,
 * where either is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../simulator/cli/main.ts';
import { FASTAPI_GSPREAD_MAPPING } from '../../simulator/replay/target-env.ts';
import { REPO, readEvents, readReport, smallTrace, tempDir } from '../e2e/helpers.ts';

const VENDOR = process.env.SHEETSIM_PYTHON_VENDOR ?? resolve(REPO, '../shared/vendor/python');
const APP_DIR = join(REPO, 'test/compat/python-backend');

function pythonMissing(): string | null {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'python3 is not on PATH';
  }
  if (!existsSync(join(VENDOR, 'gspread')) || !existsSync(join(VENDOR, 'fastapi'))) return `no gspread/fastapi in ${VENDOR} (set SHEETSIM_PYTHON_VENDOR)`;
  return null;
}
const missing = pythonMissing();
if (missing) console.warn(`skipping the FastAPI + gspread end-to-end suite: ${missing}`);

// `exec` so stopping the shell stops uvicorn; the port comes from sheetsim's PORT.
const UVICORN = `cd '${APP_DIR}' && exec python3 -m uvicorn app:app --host 127.0.0.1 --port "$PORT" --log-level warning`;
const MAPPING = FASTAPI_GSPREAD_MAPPING.flatMap((m) => ['--target-env', m]);

async function sheetsim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) => new Writable({ write: (chunk, _e, cb) => (add(String(chunk)), cb()) });
  // Only the vendor folder on PYTHONPATH: the adapter is put first by --target-cmd itself.
  const env = { ...process.env, PYTHONPATH: VENDOR };
  const code = await main(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    cwd: REPO,
    env,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

describe.skipIf(missing !== null)('an unchanged FastAPI + gspread backend under --target-cmd', () => {
  it('writes succeed, union ids are found, every Sheets call is attributed to its event, the report is complete', async () => {
    const dir = tempDir();
    // Two workers for a minute: about 25 Sheets writes, well inside the 60-a-minute quota, so every write can succeed.
    const trace = await smallTrace(dir, { workers: 2, durationMs: 60_000, conflicts: 0 });
    const out = join(dir, 'report');
    const res = await sheetsim(['run', '--trace', trace, '--speed', '10', '--latency', 'off', '--warn-only', '--out', out, '--target-cmd', UVICORN, ...MAPPING]);
    expect(res.code, res.stderr).toBe(0);
    const report = readReport(out);
    const events = readEvents(out);
    expect(events.length).toBe(report.totals.requests);
    expect(events.length).toBeGreaterThan(5);

    // Writes: every INICIAR and FINALIZAR answered 2xx, as the trace expects (a 503 "Union IDs not found" would
    // mean the world's ids are not what {OT}+{N_UNION} builds).
    const writes = events.filter((e) => e.op === 'iniciar' || e.op === 'finalizar');
    expect(writes.length).toBeGreaterThan(3);
    for (const e of writes) expect(e.status, `${e.scenario} seq ${e.seq}: ${e.body}`).toBe(200);
    expect(events.filter((e) => e.op === 'finalizar' && e.scenario !== 'finalizar_cancel').length).toBeGreaterThan(0);
    expect(report.expectations.mismatches).toBe(0);
    expect(report.sheets.status429).toBe(0);

    // Attribution through the adapter's Starlette context variable: every event has its own calls, none are lost.
    expect(report.sheets.available).toBe(true);
    expect(report.sheets.unattributedCalls).toBe(0);
    for (const e of events) expect(e.sheetsCalls, `seq ${e.seq}`).not.toBeNull();
    for (const e of writes) {
      expect(e.sheetsByMethod!['values.batchUpdate'], `seq ${e.seq}`).toBeGreaterThanOrEqual(1);
      expect(e.sheetsByMethod!['values.append'], `seq ${e.seq}`).toBe(1);
    }
    const attributed = events.reduce((n, e) => n + (e.sheetsCalls ?? 0), 0);
    expect(attributed).toBe(report.sheets.calls);
    for (const [name, s] of Object.entries(report.scenarios)) {
      expect(s.sheetsCalls, name).not.toBeNull();
      expect(s.sheetsUnattributed, name).toBe(0);
    }

    // Complete: a target that stayed up, memory sampled, gates evaluated, every rendered file written.
    expect(report.run.partial).toBe(false);
    expect(report.run.target.kind).toBe('command');
    expect(report.memory.target).not.toBeNull();
    expect(report.gates.length).toBe(5);
    for (const f of ['report.html', 'metrics.csv', 'scenarios.csv', 'timeline.csv']) expect(existsSync(join(out, f)), f).toBe(true);
  }, 180_000);

  it('exact mode: a backend that stamps wall-clock time gets no digest, and the run says why', async () => {
    const dir = tempDir();
    const trace = await smallTrace(dir, { workers: 2, durationMs: 30_000, conflicts: 0 });
    const out = join(dir, 'exact');
    const res = await sheetsim(['run', '--mode', 'exact', '--trace', trace, '--warn-only', '--out', out, '--target-cmd', UVICORN, ...MAPPING]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toMatch(/^digest: /m);
    expect(res.stderr).toMatch(/the backend ignores exact mode's virtual clock: \d+ of \d+ Metadata timestamps/);
    const report = readReport(out);
    expect(report.digest).toBeNull();
    expect(report.totals.requests).toBeGreaterThan(0);
  }, 180_000);

  it('without the audit spreadsheet id the backend refuses to boot, and the run says why (exit 2 or 1, no report)', async () => {
    const dir = tempDir();
    const trace = await smallTrace(dir, { workers: 1, durationMs: 10_000, conflicts: 0 });
    const noAudit = FASTAPI_GSPREAD_MAPPING.filter((m) => !m.startsWith('GOOGLE_AUDIT_SHEET_ID')).flatMap((m) => ['--target-env', m]);
    const res = await sheetsim(['run', '--trace', trace, '--out', join(dir, 'r'), '--target-cmd', UVICORN, ...noAudit]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/GOOGLE_AUDIT_SHEET_ID is not set/);
    expect(existsSync(join(dir, 'r', 'report.json'))).toBe(false);
  }, 120_000);
});

describe('exact mode with a --target-cmd backend that keeps the virtual clock', () => {
  it('sheetsim backend (x-sheetsim-time) passes the clock check and prints a digest', async () => {
    const dir = tempDir();
    const trace = await smallTrace(dir, { workers: 2, durationMs: 30_000, conflicts: 0 });
    const res = await sheetsim(['run', '--mode', 'exact', '--trace', trace, '--warn-only', '--out', join(dir, 'ref'), '--target-cmd', `node ${join(REPO, 'bin/sheetsim.js')} backend`]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^digest: [0-9a-f]{64}$/m);
    expect(res.stderr).not.toMatch(/virtual clock/);
  }, 120_000);
});
