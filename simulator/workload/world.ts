import type { CellInput, NumberFormatSpec, SheetSpec, WorkbookSpec } from '../../mock-sheets/workbook.ts';
import type { WorldParams } from '../trace/types.ts';
import { type DayNumber, formatDayFirst, formatDayFirstTime, parseIsoDate } from './calendar.ts';
import {
  DN_VALUES, METADATA_HEADER, OPERACIONES_HEADER, ROLES_HEADER, SOLD_REQUIRED_TYPES, TRABAJADORES_HEADER, UNIONES_HEADER,
  columnIndex,
} from './layout.ts';
import { FIRST_NAMES, SURNAMES } from './names.ts';
import { worldFromSnapshot } from './world-snapshot.ts';
import { type Random, seededRandom } from './random.ts';

/** How a spool starts (spec §6.6 without the occupied states: nobody holds a spool at t = 0). */
export type SpoolStartState = 'LIBRE' | 'ARM_PARCIAL' | 'ARM_TERMINADO' | 'SOLD_PARCIAL' | 'SOLD_TERMINADO';

export interface WorldUnion {
  /** `TAG+N`, e.g. `OT-042+7`. */
  id: string;
  n: number;
  dn: number;
  tipo: string;
  soldRequired: boolean;
  armDone: boolean;
  soldDone: boolean;
}

export interface WorldSpool {
  tag: string;
  /** The number part of the tag, `042`: unions are found by it. */
  ot: string;
  /** 0-based row among the data rows (sheet row = index + 2). */
  index: number;
  hasMaterials: boolean;
  /** One of the 50-union stress spools. */
  stress: boolean;
  state: SpoolStartState;
  unions: WorldUnion[];
}

export type WorkerRole = 'Armador' | 'Soldador' | 'Ayudante' | 'Metrologia' | 'Revestimiento' | 'Pintura' | 'Despacho';

export interface WorldWorker {
  id: number;
  nombre: string;
  apellido: string;
  /** First role is the one in Trabajadores.Rol; all appear in Roles. */
  roles: WorkerRole[];
  active: boolean;
  /** `INICIALES(ID)`, what INICIAR writes into Ocupado_Por. */
  token: string;
  /** `Apellido(ID)`, what FINALIZAR writes into the union worker columns. */
  surnameToken: string;
}

/** The seeded world: the workbook the mock serves and the typed view the workload generator plans with. */
export interface World {
  params: WorldParams;
  workbook: WorkbookSpec;
  spools: WorldSpool[];
  workers: WorldWorker[];
}

/** Defaults for the world a trace runs against. */
// 2000 spools is production scale (spec §7: ≈ 1,870); 100 ran out of work within 3 minutes of the default trace.
export const DEFAULT_WORLD_PARAMS: WorldParams = { seed: 42, spools: 2000, workers: 100, startDate: '2026-03-02' };

/** Upper bounds that keep a world a Sheets grid can hold (Operaciones ≤ 3-digit tags beyond 999 still work). */
export const MAX_SPOOLS = 99_999;
export const MAX_PAYROLL = 99_999;

/** Unions of the stress spools (the original suite's FINALIZAR ARM 50). */
export const STRESS_UNIONS = 50;

/** The spreadsheet id the world is served under. */
export function worldSpreadsheetId(seed: number): string {
  return `zeues-seed-${seed}`;
}

/** The spool tag of 1-based spool number n: `OT-001`, …, `OT-999`, `OT-1000`. */
export function spoolTag(n: number): string {
  return `OT-${String(n).padStart(3, '0')}`;
}

// Unions per spool 2..20, weighted towards 4..10 (spec §7: real samples 2, 4, 7, 12; "10 typical").
const UNION_COUNT_WEIGHTS: readonly number[] = [
  /*2*/ 3, 5, 9, 10, 10, 10, 9, 8, 7, /*11*/ 4, 4, 3, 2, 2, 1, 1, 1, 1, /*20*/ 1,
];
const TIPO_VALUES: readonly string[] = ['BW', 'SO', 'BR', 'FILL', 'LET', 'FW'];
const TIPO_WEIGHTS: readonly number[] = [40, 15, 10, 10, 5, 20];
const START_STATES: readonly SpoolStartState[] = ['LIBRE', 'ARM_PARCIAL', 'ARM_TERMINADO', 'SOLD_PARCIAL', 'SOLD_TERMINADO'];
// spec §6.6 over 200 spools: LIBRE 60, EN_ARM+ARM_PEND 50, ARM_TERM 20, EN_SOLD+SOLD_PEND 40, the rest done 30.
const START_STATE_WEIGHTS: readonly number[] = [30, 25, 10, 20, 15];
const ROLE_VALUES: readonly WorkerRole[] = ['Armador', 'Soldador', 'Ayudante', 'Metrologia', 'Revestimiento', 'Pintura', 'Despacho'];
const ROLE_WEIGHTS: readonly number[] = [35, 35, 18, 5, 3, 2, 2];

const DATE_FMT: NumberFormatSpec = { type: 'DATE', pattern: 'dd-mm-yyyy' };
const DATE_TIME_FMT: NumberFormatSpec = { type: 'DATE_TIME', pattern: 'dd-mm-yyyy hh:mm:ss' };

/** Check world parameters, naming the field and what was expected. */
export function validateWorldParams(params: WorldParams): void {
  const intIn = (name: keyof WorldParams, min: number, max: number) => {
    const v = params[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new Error(`world.${name} must be a whole number between ${min} and ${max}, got ${JSON.stringify(v)}`);
    }
  };
  intIn('seed', 0, Number.MAX_SAFE_INTEGER);
  intIn('spools', 1, MAX_SPOOLS);
  intIn('workers', 1, MAX_PAYROLL);
  parseIsoDate(params.startDate, 'world.startDate');
}

/** Build the seeded world: same params, same workbook, on every machine. */
export function generateWorld(params: WorldParams): World {
  validateWorldParams(params);
  // An imported trace carries its world explicitly (docs/trace-format.md, "world.snapshot").
  if (params.snapshot) return worldFromSnapshot(params, params.snapshot);
  const rng = seededRandom(params.seed, 'world');
  const startDay = parseIsoDate(params.startDate);
  const workers = generateWorkers(rng, params.workers);
  const armadores = workers.filter((w) => w.roles.includes('Armador'));
  const soldadores = workers.filter((w) => w.roles.includes('Soldador'));
  const spools = generateSpools(rng, params.spools);
  // The workbook (a few hundred thousand cells) is built on first use: a trace needs only spools and workers, and
  // building it first was a tenth of generating a million-event trace. It draws from `rng` after the spools, which
  // nothing else touches, so building it later gives the same cells; the generator and the model copy what they
  // change, so the spools it reads are still the generated ones.
  let workbook: WorkbookSpec | undefined;
  return {
    params: { ...params },
    get workbook(): WorkbookSpec {
      workbook ??= buildWorkbook(params, rng, startDay, spools, workers, armadores, soldadores);
      return workbook;
    },
    spools,
    workers,
  };
}

/** The workbook of a world's spools and workers (also used for explicit, imported worlds). */
export function buildWorkbook(
  params: WorldParams, rng: Random, startDay: DayNumber, spools: WorldSpool[], workers: WorldWorker[],
  armadores: WorldWorker[], soldadores: WorldWorker[],
): WorkbookSpec {
  const opRows: CellInput[][] = [OPERACIONES_HEADER.slice()];
  const unionRows: CellInput[][] = [UNIONES_HEADER.slice()];
  for (const spool of spools) {
    const { opRow, unionRowsOf } = spoolRows(rng, spool, startDay, armadores.length ? armadores : workers, soldadores.length ? soldadores : workers);
    opRows.push(opRow);
    unionRows.push(...unionRowsOf);
  }

  const opFormats: Record<number, NumberFormatSpec> = {};
  OPERACIONES_HEADER.forEach((name, i) => {
    if (name.startsWith('Fecha_')) opFormats[i] = DATE_FMT;
  });
  opFormats[columnIndex(OPERACIONES_HEADER, 'Fecha_Ocupacion')] = DATE_TIME_FMT;
  // Production's counter sits in a date-formatted column (spec §8 item 7): the mock must render 7 as a date.
  opFormats[columnIndex(OPERACIONES_HEADER, 'Total_Uniones')] = { type: 'DATE', pattern: 'yyyy-mm-dd' };
  const unionFormats: Record<number, NumberFormatSpec> = {};
  for (const name of ['ARM_FECHA_INICIO', 'ARM_FECHA_FIN', 'SOL_FECHA_INICIO', 'SOL_FECHA_FIN']) {
    unionFormats[columnIndex(UNIONES_HEADER, name)] = DATE_TIME_FMT;
  }

  const sheets: SheetSpec[] = [
    { title: 'Operaciones', rows: opRows, columnFormats: opFormats },
    { title: 'Uniones', rows: unionRows, columnFormats: unionFormats },
    { title: 'Metadata', rows: [METADATA_HEADER.slice()] },
    { title: 'Trabajadores', rows: [TRABAJADORES_HEADER.slice(), ...workers.map(workerRow)] },
    { title: 'Roles', rows: [ROLES_HEADER.slice(), ...workers.flatMap(roleRows)] },
  ];
  return {
    spreadsheetId: worldSpreadsheetId(params.seed),
    title: `ZEUES (sheetsim world, seed ${params.seed})`,
    locale: 'es_CL',
    timeZone: 'America/Santiago',
    sheets,
  };
}

function generateWorkers(rng: Random, count: number): WorldWorker[] {
  // Exactly 10% inactive (rounded), so the share does not drift with the seed.
  const inactive = new Set(rng.shuffle(Array.from({ length: count }, (_, i) => i + 1)).slice(0, Math.floor(count / 10)));
  const workers: WorldWorker[] = [];
  for (let id = 1; id <= count; id++) {
    const nombre = rng.pick(FIRST_NAMES);
    const apellido = rng.pick(SURNAMES);
    const primary = ROLE_VALUES[rng.weighted(ROLE_WEIGHTS)]!;
    const roles: WorkerRole[] = [primary];
    // Some armadores also weld and vice versa; helpers sometimes hold a trade role too.
    if (rng.chance(0.2)) {
      const second: WorkerRole = primary === 'Armador' ? 'Soldador' : primary === 'Soldador' ? 'Armador' : 'Ayudante';
      if (second !== primary) roles.push(second);
    }
    workers.push({
      id, nombre, apellido, roles, active: !inactive.has(id),
      token: `${nombre[0]!.toUpperCase()}${apellido[0]!.toUpperCase()}(${id})`,
      surnameToken: `${apellido}(${id})`,
    });
  }
  return workers;
}

function generateSpools(rng: Random, count: number): WorldSpool[] {
  const stressCount = Math.min(count, Math.max(3, Math.round(count * 0.05)));
  const stress = new Set(rng.shuffle(Array.from({ length: count }, (_, i) => i)).slice(0, stressCount));
  const spools: WorldSpool[] = [];
  for (let i = 0; i < count; i++) {
    const tag = spoolTag(i + 1);
    const ot = tag.slice(3);
    const isStress = stress.has(i);
    const hasMaterials = isStress || rng.chance(0.95);
    const n = isStress ? STRESS_UNIONS : 2 + rng.weighted(UNION_COUNT_WEIGHTS);
    // 50-union spools start with no ARM so FINALIZAR ARM 50 can complete them; no work happens without materials.
    const state: SpoolStartState = isStress || !hasMaterials ? 'LIBRE' : START_STATES[rng.weighted(START_STATE_WEIGHTS)]!;
    const unions: WorldUnion[] = [];
    for (let k = 1; k <= n; k++) {
      const tipo = TIPO_VALUES[rng.weighted(TIPO_WEIGHTS)]!;
      unions.push({ id: `${tag}+${k}`, n: k, dn: rng.pick(DN_VALUES), tipo, soldRequired: SOLD_REQUIRED_TYPES.includes(tipo), armDone: false, soldDone: false });
    }
    applyStartState(rng, state, unions);
    spools.push({ tag, ot, index: i, hasMaterials, stress: isStress, state, unions });
  }
  return spools;
}

function applyStartState(rng: Random, state: SpoolStartState, unions: WorldUnion[]): void {
  const n = unions.length;
  if (state === 'LIBRE') return;
  if (state === 'ARM_PARCIAL') {
    const done = rng.int(1, n - 1);
    for (let i = 0; i < done; i++) unions[i]!.armDone = true;
    return;
  }
  for (const u of unions) u.armDone = true;
  const soldable = unions.filter((u) => u.soldRequired);
  if (state === 'SOLD_TERMINADO') {
    for (const u of soldable) u.soldDone = true;
  } else if (state === 'SOLD_PARCIAL' && soldable.length >= 2) {
    const done = rng.int(1, soldable.length - 1);
    for (let i = 0; i < done; i++) soldable[i]!.soldDone = true;
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function spoolRows(
  rng: Random, spool: WorldSpool, startDay: DayNumber, armadores: WorldWorker[], soldadores: WorldWorker[],
): { opRow: CellInput[]; unionRowsOf: CellInput[][] } {
  const row: CellInput[] = new Array<CellInput>(OPERACIONES_HEADER.length).fill('');
  const set = (name: string, value: CellInput) => {
    row[columnIndex(OPERACIONES_HEADER, name)] = value;
  };
  // Everything happened before the start date: materials 30–90 days before, ARM 1–5 days after, SOLD 6–15 days after.
  const materialsDay = startDay - rng.int(30, 90);
  const armDay = materialsDay + rng.int(1, 5);
  const soldDay = materialsDay + rng.int(6, 15);
  const armador = rng.pick(armadores);
  const soldador = rng.pick(soldadores);
  const unions = spool.unions;
  const armDone = unions.filter((u) => u.armDone);
  const soldDone = unions.filter((u) => u.soldDone);
  const allArm = armDone.length === unions.length;
  const soldable = unions.filter((u) => u.soldRequired);
  const allSold = allArm && soldable.every((u) => u.soldDone) && soldDone.length > 0;

  set('id', spool.index + 1);
  set('NV', `NV${1000 + rng.int(0, 9)}`);
  // A leading apostrophe keeps `042` a string under USER_ENTERED, as the real sheet's OT text.
  set('OT', `'${spool.ot}`);
  set('CT', rng.pick(['A', 'B', 'C', 'D']));
  set('ITEM', `'${String(rng.int(1, 999)).padStart(3, '0')}`);
  set('SPLIT', 1);
  set('TAG_SPOOL', spool.tag);
  set('STATUS_NV', 'ACTIVA');
  set('Status_Spool', 'ACTIVO');
  set('Ubicación', 'Taller');
  set('Cliente', 'SHEETSIM');
  set('DIAM', Math.max(...unions.map((u) => u.dn)));
  set('Peso_Kg', round2(20 + rng.float() * 400));
  set('Fecha_Ingenieria', formatDayFirst(materialsDay - rng.int(7, 30)));
  if (spool.hasMaterials) set('Fecha_Materiales', formatDayFirst(materialsDay));
  if (allArm) {
    set('Fecha_Armado', formatDayFirst(armDay));
    set('Armador', armador.token);
  }
  if (allSold) {
    set('Fecha_Soldadura', formatDayFirst(soldDay));
    set('Soldador', soldador.token);
  }
  set('version', 'v4.0');
  set('Total_Uniones', unions.length);
  set('Uniones_ARM_Completadas', armDone.length);
  set('Uniones_SOLD_Completadas', soldDone.length);
  set('Pulgadas_ARM', round2(armDone.reduce((s, u) => s + u.dn, 0)));
  set('Pulgadas_SOLD', round2(soldDone.reduce((s, u) => s + u.dn, 0)));

  const unionRowsOf: CellInput[][] = unions.map((u) => {
    const armStart = 7 * 3600 + rng.int(0, 4 * 3600);
    const soldStart = 7 * 3600 + rng.int(0, 4 * 3600);
    return [
      u.id, `'${spool.ot}`, u.n, spool.tag, u.dn, u.tipo,
      u.armDone ? formatDayFirstTime(armDay, armStart) : '',
      u.armDone ? formatDayFirstTime(armDay, armStart + rng.int(1800, 4 * 3600)) : '',
      u.armDone ? armador.surnameToken : '',
      u.soldDone ? formatDayFirstTime(soldDay, soldStart) : '',
      u.soldDone ? formatDayFirstTime(soldDay, soldStart + rng.int(1800, 4 * 3600)) : '',
      u.soldDone ? soldador.surnameToken : '',
      '', '', '', '', 'v4.0',
    ];
  });
  return { opRow: row, unionRowsOf };
}

function workerRow(w: WorldWorker): CellInput[] {
  return [w.id, w.nombre, w.apellido, w.roles[0]!, w.active ? 'TRUE' : 'FALSE'];
}

function roleRows(w: WorldWorker): CellInput[][] {
  return w.roles.map((r) => [w.id, r, w.active ? 'TRUE' : 'FALSE']);
}
