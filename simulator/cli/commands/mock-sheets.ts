/** `sheetsim mock-sheets`: serve the seeded world over a wire-compatible mock of the Google Sheets API v4. */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { buildMockSheets } from '../../../mock-sheets/app.ts';
import { ConfigError } from '../../../mock-sheets/config-fields.ts';
import { type FaultConfig, parseFaultConfig } from '../../../mock-sheets/faults.ts';
import { type LatencyConfig, parseLatencyConfig } from '../../../mock-sheets/latency.ts';
import { type QuotaConfig, parseQuotaConfig } from '../../../mock-sheets/quota.ts';
import { DEFAULT_WORLD_PARAMS, auditSpreadsheetId, generateWorld, worldWorkbooks } from '../../workload/world.ts';
import type { WorldParams } from '../../trace/types.ts';
import {
  type Command,
  type CommandContext,
  InputError,
  UsageError,
  boolOpt,
  enumOpt,
  intOpt,
  numberOpt,
  stringOpt,
} from '../command.ts';

/** True for addresses only this machine can reach (the admin API needs no token there). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** Read a realism JSON file and validate it with `parse`; errors name the file and the field. */
function readConfigFile<T>(cwd: string, flag: string, file: string, parse: (value: unknown, field: string) => T): T {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`--${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  try {
    return parse(json, flag);
  } catch (err) {
    if (err instanceof ConfigError) throw new InputError(`${path}: ${err.message}`);
    throw err;
  }
}

/** `--latency off|realistic|FILE.json`. */
function latencyOpt(ctx: CommandContext): 'off' | LatencyConfig {
  const v = stringOpt(ctx, 'latency', 'realistic');
  if (v === 'off' || v === 'realistic') return parseLatencyConfig(v) ?? 'off';
  return readConfigFile(ctx.cwd, 'latency', v, parseLatencyConfig) ?? 'off';
}

/** `--quota on|off|FILE.json`. */
function quotaOpt(ctx: CommandContext): 'off' | QuotaConfig {
  const v = stringOpt(ctx, 'quota', 'on');
  if (v === 'off' || v === 'on') return parseQuotaConfig(v) ?? 'off';
  return readConfigFile(ctx.cwd, 'quota', v, parseQuotaConfig) ?? 'off';
}

/** `--faults FILE.json`. */
function faultsOpt(ctx: CommandContext): FaultConfig | undefined {
  const v = stringOpt(ctx, 'faults');
  return v === undefined ? undefined : readConfigFile(ctx.cwd, 'faults', v, parseFaultConfig);
}

function describeLatency(latency: 'off' | LatencyConfig): string {
  if (latency === 'off') return 'off';
  const m = latency.methods;
  return `values.get ~${m['values.get'].medianMs} ms, values.append ~${m['values.append'].medianMs} ms, values.batchUpdate ~${m['values.batchUpdate'].medianMs} ms (median)`;
}

function describeQuota(quota: 'off' | QuotaConfig): string {
  return quota === 'off'
    ? 'off'
    : `${quota.readPerUser} reads + ${quota.writePerUser} writes per minute per user, ${quota.readPerProject} + ${quota.writePerProject} per project`;
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  return signal.aborted ? Promise.resolve() : new Promise((done) => signal.addEventListener('abort', () => done(), { once: true }));
}

export const mockSheetsCommand: Command = {
  name: 'mock-sheets',
  summary: 'Serve the seeded world over a mock Google Sheets API v4 (latency, quotas, faults, call log).',
  usage: '[options]',
  description: `
Starts an HTTP server that answers the Google Sheets API v4 as sheets.googleapis.com does (same paths,
shapes and error bodies), holding the seeded ZEUES workbook in SQLite. Point a backend at it with
@googleapis/sheets' rootUrl, gspread through 'sheetsim adapter python', or plain HTTP. Every call is logged; see
GET /__sheetsim/calls, /__sheetsim/stats, /__sheetsim/config, /__sheetsim/state.

It prints 'url: <base URL>' and 'spreadsheet: <id>' first (scripts read them), then examples. Ctrl-C stops it.

--latency, --quota and --faults take a JSON file for custom settings, e.g.
  latency.json  {"methods": {"values.append": {"medianMs": 150, "p99Ms": 400}}, "perCellWrittenMs": 0.2}
  quota.json    {"writePerUser": 60, "readPerUser": 60, "writePerProject": 300, "readPerProject": 300}
  faults.json   {"rules": [{"methods": ["values.append"], "error503": 0.02, "slow": {"rate": 0.05, "extraMs": 2000}}],
                 "outages": [{"fromS": 60, "toS": 90, "status": 503}]}
With --db FILE the workbook survives restarts: an existing file is served as it is, never re-seeded.
Reads are served from a copy of each sheet's cells in memory (~110 bytes a stored cell), also with --db.
Bound to a non-loopback --host, the admin API requires --admin-token (header x-sheetsim-admin-token).`,
  options: {
    port: { type: 'string', short: 'p', valueName: 'N', description: 'TCP port (0 picks a free one and prints it)', defaultText: '8090' },
    host: { type: 'string', valueName: 'HOST', description: 'Address to bind', defaultText: '127.0.0.1' },
    db: { type: 'string', valueName: 'FILE', description: 'SQLite file to keep the workbook and call log in (WAL)', defaultText: 'in memory' },
    seed: { type: 'string', short: 's', valueName: 'N', description: 'World seed and seed of latency/fault sampling', defaultText: '42' },
    spools: { type: 'string', valueName: 'N', description: 'Spools in the world (Operaciones rows)', defaultText: String(DEFAULT_WORLD_PARAMS.spools) },
    payroll: { type: 'string', valueName: 'N', description: 'Workers on payroll (Trabajadores rows)', defaultText: String(DEFAULT_WORLD_PARAMS.workers) },
    'start-date': { type: 'string', valueName: 'YYYY-MM-DD', description: "The world's first day (and the virtual clock's start, 08:00 -03:00)", defaultText: DEFAULT_WORLD_PARAMS.startDate },
    latency: { type: 'string', valueName: 'off|realistic|FILE', description: 'Latency model per method', defaultText: 'realistic' },
    quota: { type: 'string', valueName: 'on|off|FILE', description: "Per-minute quotas (on = Google's 60/60 per user, 300/300 per project)", defaultText: 'on' },
    faults: { type: 'string', valueName: 'FILE', description: 'Injected 500/503, drops, slow responses and outages (JSON)', defaultText: 'none' },
    speed: { type: 'string', valueName: 'N', description: 'Wall clock speed-up: the quota minute lasts 60/N s (latency is not scaled)', defaultText: '1' },
    clock: { type: 'string', valueName: 'wall|virtual', description: 'Wall time, or a virtual clock set via POST /__sheetsim/clock', defaultText: 'wall' },
    auth: { type: 'string', valueName: 'required|none', description: 'Require a Bearer token or key= on every call', defaultText: 'required' },
    'admin-token': { type: 'string', valueName: 'T', description: 'Token the admin API requires (x-sheetsim-admin-token header)', defaultText: 'none' },
    'legacy-errors': { type: 'boolean', description: 'Also send the legacy errors[] array in error bodies', defaultText: 'off' },
  },
  examples: [
    'sheetsim mock-sheets --seed 42',
    'sheetsim mock-sheets --port 0 --latency off --quota off --auth none   # fast, for functional tests',
    'sheetsim mock-sheets --db mock.db --speed 10 --faults faults.json',
    'sheetsim mock-sheets --clock virtual   # exact mode: the replayer sets the time',
  ],
  async run(ctx) {
    const port = intOpt(ctx, 'port', 8090, 0, 65535);
    const host = stringOpt(ctx, 'host', '127.0.0.1');
    const seed = intOpt(ctx, 'seed', 42, 0);
    const world: WorldParams = {
      seed,
      spools: intOpt(ctx, 'spools', DEFAULT_WORLD_PARAMS.spools, 1),
      workers: intOpt(ctx, 'payroll', DEFAULT_WORLD_PARAMS.workers, 1),
      startDate: stringOpt(ctx, 'start-date', DEFAULT_WORLD_PARAMS.startDate),
    };
    const clock = enumOpt(ctx, 'clock', ['wall', 'virtual'] as const, 'wall');
    const speed = numberOpt(ctx, 'speed', 1, 0.001, 1_000_000);
    if (clock === 'virtual' && ctx.values.speed !== undefined) throw new UsageError('--speed applies to the wall clock only; drop it or use --clock wall');
    const auth = enumOpt(ctx, 'auth', ['required', 'none'] as const, 'required');
    const adminToken = stringOpt(ctx, 'admin-token');
    if (!isLoopbackHost(host) && !adminToken) {
      throw new UsageError(`--host ${host} is reachable from other machines: give --admin-token T so the admin API (reset, config, state) is protected`);
    }
    const dbOpt = stringOpt(ctx, 'db');
    const db = dbOpt === undefined ? undefined : resolve(ctx.cwd, dbOpt);
    const latency = latencyOpt(ctx);
    const quota = quotaOpt(ctx);
    const faults = faultsOpt(ctx);

    let workbook;
    try {
      workbook = worldWorkbooks(generateWorld(world));
    } catch (err) {
      throw new UsageError((err as Error).message.replace(/^world\.(\w+)/, (_, f: string) => `--${f === 'workers' ? 'payroll' : f === 'startDate' ? 'start-date' : f}`));
    }
    const startMs = Date.parse(`${world.startDate}T08:00:00-03:00`);

    const app = await buildMockSheets({
      workbook,
      loadWorkbook: (s: number) => worldWorkbooks(generateWorld({ ...world, seed: s })),
      seed,
      ...(db !== undefined ? { db } : {}),
      auth,
      latency,
      quota,
      ...(faults ? { faults } : {}),
      clock,
      ...(clock === 'wall' ? { speed } : { startMs }),
      legacyErrors: boolOpt(ctx, 'legacy-errors'),
      ...(adminToken ? { adminToken } : {}),
    });
    try {
      await app.listen({ port, host });
    } catch (err) {
      await app.close();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${host} is in use; pick another with --port (0 = any free port)`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`--host ${host} is not an address of this machine`);
      throw err;
    }
    const address = app.server.address();
    const realPort = typeof address === 'object' && address ? address.port : port;
    const shownHost = isIP(host) === 6 ? `[${host}]` : host;
    const url = `http://${shownHost}:${realPort}`;
    const spreadsheetId = (app as unknown as { sheetsim: { spreadsheetId: string } }).sheetsim.spreadsheetId;
    const authHeader = auth === 'required' ? `-H 'Authorization: Bearer any-token' ` : '';
    const out = [
      `url: ${url}`,
      `spreadsheet: ${spreadsheetId}`,
      `audit spreadsheet: ${auditSpreadsheetId(seed)}`,
      `clock: ${clock}${clock === 'wall' && speed !== 1 ? ` ×${speed} (quota minute = ${+(60 / speed).toFixed(3)} s)` : ''}; latency: ${describeLatency(latency)}; quota: ${describeQuota(quota)}; auth: ${auth}${db ? `; db: ${db}` : ''}`,
      '',
      '@googleapis/sheets (Node):',
      `  const api = sheets({ version: 'v4', auth: 'any-key', rootUrl: '${url}/' });`,
      `  await api.spreadsheets.values.get({ spreadsheetId: '${spreadsheetId}', range: 'Operaciones!A1:E5' });`,
      `gspread (Python, code unchanged; key file from: sheetsim credentials --url ${url} --out sa.json):`,
      `  eval "$(sheetsim adapter python --url ${url} --export)"; python3 app.py   # gspread.service_account(filename='sa.json')`,
      'curl:',
      `  curl ${authHeader}'${url}/v4/spreadsheets/${spreadsheetId}/values/Operaciones!A1:E3'`,
      `  curl ${adminToken ? "-H 'x-sheetsim-admin-token: <T>' " : ''}'${url}/__sheetsim/calls'`,
      '',
      'Ctrl-C stops the server.',
      '',
    ];
    ctx.stdout.write(out.join('\n'));
    await waitForAbort(ctx.signal);
    await app.close();
    ctx.stderr.write('mock-sheets: stopped\n');
    return 0;
  },
};
