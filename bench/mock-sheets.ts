/**
 * Requests per second of the mock Sheets API (latency off, quota off, auth none) next to a bare Fastify route
 * in the same process, driven by autocannon on 127.0.0.1: a one-row values.get and a one-row values.append
 * (OVERWRITE, Google's default, and INSERT_ROWS, each into a sheet of its own).
 * Run: npx tsx bench/mock-sheets.ts [--seconds 5] [--connections 10]
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildMockSheets } from '../mock-sheets/app.ts';
import { generateWorld } from '../simulator/workload/world.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
interface AutocannonOptions {
  url: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  duration: number;
}
// autocannon ships no TypeScript types; this is the slice of its API we use.
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

const { values: flags } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '10' } } });
const duration = Number(flags.seconds);
const connections = Number(flags.connections);
if (!(duration > 0) || !(connections > 0)) {
  process.stderr.write('bench/mock-sheets: --seconds and --connections expect positive numbers\n');
  process.exit(2);
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

async function drive(name: string, opts: Omit<AutocannonOptions, 'connections' | 'duration'>): Promise<number> {
  const result = await autocannon({ ...opts, connections, duration });
  const bad = result.non2xx + result.errors;
  process.stdout.write(
    `${name.padEnd(34)} ${result.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(result.latency.p50).padStart(3)} ms   p99 ${String(result.latency.p99).padStart(3)} ms` +
      `${bad > 0 ? `   (${bad} non-2xx/errors!)` : ''}\n`,
  );
  if (bad > 0) process.exitCode = 1;
  return result.requests.average;
}

const bare = Fastify();
bare.get('/ping', async () => ({ range: 'Operaciones!A2', majorDimension: 'ROWS', values: [['OT-001']] }));
const bareUrl = await listen(bare);

const world = generateWorld({ seed: 42, spools: 100, workers: 100, startDate: '2026-03-02' });
// Appends go to a sheet of their own so the world's tables stay as generated.
const workbook = { ...world.workbook, sheets: [
    ...world.workbook.sheets,
    { title: 'Bench', rows: [['TAG', 'what', 'n', 'ok']] },
    { title: 'BenchInsert', rows: [['TAG', 'what', 'n', 'ok']] },
  ],
};
const mock = await buildMockSheets({ workbook, latency: 'off', quota: 'off', auth: 'none' });
const mockUrl = await listen(mock);
const id = world.workbook.spreadsheetId;

process.stdout.write(`node ${process.version}, ${connections} connections, ${duration} s each, 127.0.0.1\n`);
try {
  const bareRps = await drive('bare Fastify GET /ping', { url: `${bareUrl}/ping` });
  const getRps = await drive('mock values.get (one row)', { url: `${mockUrl}/v4/spreadsheets/${id}/values/Operaciones!A2:A2` });
  const append = (sheet: string, insert: 'OVERWRITE' | 'INSERT_ROWS') => ({
    url: `${mockUrl}/v4/spreadsheets/${id}/values/${sheet}!A1:append?valueInputOption=RAW&insertDataOption=${insert}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ values: [['OT-BENCH', 'row', 1, true]] }),
  });
  const appendRps = await drive('mock values.append (one row)', append('Bench', 'OVERWRITE'));
  const insertRps = await drive('mock values.append INSERT_ROWS', append('BenchInsert', 'INSERT_ROWS'));
  process.stdout.write(`ratio values.get / bare:    ${(getRps / bareRps).toFixed(2)}\n`);
  process.stdout.write(`ratio values.append / bare: ${(appendRps / bareRps).toFixed(2)}\n`);
  process.stdout.write(`ratio append INSERT_ROWS / bare: ${(insertRps / bareRps).toFixed(2)}\n`);
} finally {
  await mock.close();
  await bare.close();
}
