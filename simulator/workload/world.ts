import type { CellInput, NumberFormatSpec, SheetSpec, WorkbookSpec } from '../../mock-sheets/workbook.ts';
import type { WorldParams, WorldSnapshot } from '../trace/types.ts';
import { type DayNumber, formatDayFirst, formatDayFirstTime, parseIsoDate } from './calendar.ts';
import {
  AUDIT_HEADER, DN_VALUES, LISTA_HEADER, METADATA_HEADER, SNAPSHOTS_LEGACY_HEADER, OPERACIONES_HEADER, ROLES_HEADER, SOLD_REQUIRED_TYPES, TRABAJADORES_HEADER, UNIONES_HEADER,
  columnIndex,
} from './layout.ts';
import { FIRST_NAMES, SURNAMES } from './names.ts';
import { validateWorldParams } from './world-params.ts';
import { type Random, seededRandom } from './random.ts';

/** How a spool starts (spec §6.6 without the occupied states: nobody holds a spool at t = 0). */
export type SpoolStartState = 'LIBRE' | 'ARM_PARCIAL' | 'ARM_TERMINADO' | 'SOLD_PARCIAL' | 'SOLD_TERMINADO';

export interface WorldUnion {
  /** `{OT}+{N_UNION}`, e.g. `OT-042+7`: how the real backend builds it (it ignores the ID column). */
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
  /** The `OT` column, equal to the tag (`OT-042`): unions are found by it and their ids are `{OT}+{N_UNION}`. */
  ot: string;
  /** 0-based row among the data rows (sheet row = index + 2). */
  index: number;
  hasMaterials: boolean;
  /** One of the stress spools: the most unions the real model allows, all free, for FINALIZAR ARM 50. */
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
  /** `INICIALES(ID)` (`MR(4)`): what INICIAR writes into Ocupado_Por and FINALIZAR into the union worker columns. */
  token: string;
}

/** The seeded world: the workbook the mock serves and the typed view the workload generator plans with. */
export interface World {
  params: WorldParams;
  workbook: WorkbookSpec;
  /** The second spreadsheet a HEAD backend refuses to boot without (`GOOGLE_AUDIT_SHEET_ID`). */
  auditWorkbook: WorkbookSpec;
  spools: WorldSpool[];
  workers: WorldWorker[];
}

export { DEFAULT_WORLD_PARAMS, MAX_PAYROLL, MAX_SPOOLS, validateWorldParams } from './world-params.ts';

/**
 * The highest N_UNION the real model accepts: `Union` validates 1..20 and skips any other row, so a union 21+ is
 * "not found" for it. The stress spools hold this many; the original suite's 50-union FINALIZAR cannot exist.
 */
export const MAX_N_UNION = 20;

/** Unions of the stress spools (what the original suite's FINALIZAR ARM 50 becomes within the real model). */
export const STRESS_UNIONS = MAX_N_UNION;

/** The spreadsheet id the world is served under. */
export function worldSpreadsheetId(seed: number): string {
  return `zeues-seed-${seed}`;
}

/** The id of the world's audit spreadsheet (`GOOGLE_AUDIT_SHEET_ID`); sorts after the main one. */
export function auditSpreadsheetId(seed: number): string {
  return `${worldSpreadsheetId(seed)}-audit`;
}

/** Both spreadsheets of a world, main first: what a mock serving the world loads. */
export function worldWorkbooks(world: World): WorkbookSpec[] {
  return [world.workbook, world.auditWorkbook];
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
  let auditWorkbook: WorkbookSpec | undefined;
  return {
    params: { ...params },
    get workbook(): WorkbookSpec {
      workbook ??= buildWorkbook(params, rng, startDay, spools, workers, armadores, soldadores);
      return workbook;
    },
    // Its own random stream: building it before, after or without the main workbook gives the same cells.
    get auditWorkbook(): WorkbookSpec {
      auditWorkbook ??= buildAuditWorkbook(params, seededRandom(params.seed, 'audit'), startDay, spools);
      return auditWorkbook;
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
    // The real model's examples: OT `OT-123`, union `OT-123+5`. One tag per OT, so lookups by OT and by tag agree.
    const ot = tag;
    const isStress = stress.has(i);
    const hasMaterials = isStress || rng.chance(0.95);
    const n = isStress ? STRESS_UNIONS : 2 + rng.weighted(UNION_COUNT_WEIGHTS);
    // Stress spools start with no ARM so FINALIZAR ARM 50 can complete them; no work happens without materials.
    const state: SpoolStartState = isStress || !hasMaterials ? 'LIBRE' : START_STATES[rng.weighted(START_STATE_WEIGHTS)]!;
    const unions: WorldUnion[] = [];
    for (let k = 1; k <= n; k++) {
      const tipo = TIPO_VALUES[rng.weighted(TIPO_WEIGHTS)]!;
      unions.push({ id: `${ot}+${k}`, n: k, dn: rng.pick(DN_VALUES), tipo, soldRequired: SOLD_REQUIRED_TYPES.includes(tipo), armDone: false, soldDone: false });
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
  set('OT', spool.ot);
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
      u.id, spool.ot, u.n, spool.tag, u.dn, u.tipo,
      u.armDone ? formatDayFirstTime(armDay, armStart) : '',
      u.armDone ? formatDayFirstTime(armDay, armStart + rng.int(1800, 4 * 3600)) : '',
      u.armDone ? armador.token : '',
      u.soldDone ? formatDayFirstTime(soldDay, soldStart) : '',
      u.soldDone ? formatDayFirstTime(soldDay, soldStart + rng.int(1800, 4 * 3600)) : '',
      u.soldDone ? soldador.token : '',
      '', '', '', '', 'v4.0',
    ];
  });
  return { opRow: row, unionRowsOf };
}

// A supervisor's watch list: a few spools added in the weeks before the start date.
const LISTA_SHARE = 0.02;
const LISTA_NOTES: readonly string[] = ['', '', 'Prioridad cliente', 'Revisar planos', 'Esperando materiales'];

/**
 * The audit spreadsheet ("ZEUES_App_Audit" at HEAD): the supervisor list `Lista`, the UI audit log `Audit` and
 * `Snapshots_Legacy`, with the headers the real backend checks. Only `Lista` has rows: the logs start empty.
 */
/** The audit workbook (`Lista`, `Audit`, `Snapshots_Legacy`) a backend of the founding users' shape needs beside the main one. */
export function buildAuditWorkbook(params: WorldParams, rng: Random, startDay: DayNumber, spools: WorldSpool[]): WorkbookSpec {
  const count = Math.min(spools.length, Math.max(1, Math.round(spools.length * LISTA_SHARE)));
  const picked = rng.shuffle(spools.map((s) => s.index)).slice(0, count).sort((a, b) => a - b);
  const lista: CellInput[][] = [LISTA_HEADER.slice()];
  for (const i of picked) {
    const addedDay = startDay - rng.int(1, 30);
    const added = 7 * 3600 + rng.int(0, 10 * 3600);
    const updatedDay = addedDay + rng.int(0, startDay - addedDay - 1);
    const updated = updatedDay === addedDay ? added + rng.int(0, 3600) : 7 * 3600 + rng.int(0, 10 * 3600);
    lista.push([spools[i]!.tag, formatDayFirstTime(addedDay, added), formatDayFirstTime(updatedDay, updated), rng.pick(LISTA_NOTES)]);
  }
  const stamps: Record<number, NumberFormatSpec> = { 1: DATE_TIME_FMT, 2: DATE_TIME_FMT };
  return {
    spreadsheetId: auditSpreadsheetId(params.seed),
    title: `ZEUES_App_Audit (sheetsim world, seed ${params.seed})`,
    locale: 'es_CL',
    timeZone: 'America/Santiago',
    sheets: [
      { title: 'Lista', rows: lista, columnFormats: stamps },
      { title: 'Audit', rows: [AUDIT_HEADER.slice()] },
      { title: 'Snapshots_Legacy', rows: [SNAPSHOTS_LEGACY_HEADER.slice()] },
    ],
  };
}

function workerRow(w: WorldWorker): CellInput[] {
  return [w.id, w.nombre, w.apellido, w.roles[0]!, w.active ? 'TRUE' : 'FALSE'];
}

function roleRows(w: WorldWorker): CellInput[][] {
  return w.roles.map((r) => [w.id, r, w.active ? 'TRUE' : 'FALSE']);
}

// ---- An explicit world (the `world.snapshot` of an imported trace) --------------------------------------------
// The spools, unions and workers a production Metadata export touched, in the state they had before the trace's
// window, built into the same `World` (and workbook) that a seed makes, so the mock, the backend and the model need
// nothing new. In this module, not its own, because it builds with the same workbook builders generateWorld uses.

/** `INICIALES(ID)`, as the world and the reference backend derive it from a worker's names. */
export function initialsToken(id: number, nombre: string, apellido: string): string {
  const first = (s: string) => (s.trim().split(/\s+/)[0] ?? '').charAt(0).toUpperCase();
  return `${first(nombre)}${first(apellido)}(${id})`;
}


function startState(s: WorldSpool): SpoolStartState {
  const arm = s.unions.filter((u) => u.armDone).length;
  if (arm === 0) return 'LIBRE';
  if (arm < s.unions.length) return 'ARM_PARCIAL';
  const soldable = s.unions.filter((u) => u.soldRequired);
  const sold = soldable.filter((u) => u.soldDone).length;
  if (sold === 0) return 'ARM_TERMINADO';
  return sold < soldable.length ? 'SOLD_PARCIAL' : 'SOLD_TERMINADO';
}

/** Build the World an explicit snapshot describes (spools in snapshot order; every worker active). */
export function worldFromSnapshot(params: WorldParams, snapshot: WorldSnapshot): World {
  const workers: WorldWorker[] = snapshot.workers.map((w) => ({
    id: w.id,
    nombre: w.nombre,
    apellido: w.apellido,
    // Role checks are not part of the v4 contract; both trades let any imported request through.
    roles: ['Armador', 'Soldador'],
    active: true,
    token: initialsToken(w.id, w.nombre, w.apellido),
  }));
  const spools: WorldSpool[] = snapshot.spools.map((sp, index) => {
    const spool: WorldSpool = {
      tag: sp.tag,
      // The OT column holds the tag itself, as in the seeded world: union ids are `{OT}+{N_UNION}`.
      ot: sp.tag,
      index,
      hasMaterials: true,
      stress: sp.unions.length >= STRESS_UNIONS,
      state: 'LIBRE',
      unions: sp.unions.map((u) => ({
        id: u.id, n: u.n, dn: u.dn, tipo: u.tipo, soldRequired: SOLD_REQUIRED_TYPES.includes(u.tipo), armDone: u.arm, soldDone: u.sold,
      })),
    };
    spool.state = startState(spool);
    return spool;
  });
  const cleanParams: WorldParams = { seed: params.seed, spools: params.spools, workers: params.workers, startDate: params.startDate };
  let workbook: World['workbook'] | undefined;
  let auditWorkbook: World['auditWorkbook'] | undefined;
  return {
    params: { ...cleanParams, snapshot },
    get workbook() {
      if (!workbook) {
        const rng = seededRandom(params.seed, 'world');
        workbook = buildWorkbook(cleanParams, rng, parseIsoDate(params.startDate), spools, workers, workers, workers);
        occupy(workbook.sheets[0]!.rows as CellInput[][], snapshot);
      }
      return workbook;
    },
    get auditWorkbook() {
      auditWorkbook ??= buildAuditWorkbook(cleanParams, seededRandom(params.seed, 'audit'), parseIsoDate(params.startDate), spools);
      return auditWorkbook;
    },
    spools,
    workers,
  };
}

// Spools held at trace time 0 (INICIARed before the window, FINALIZARed inside it) start with their Ocupado_Por.
function occupy(opRows: CellInput[][], snapshot: WorldSnapshot): void {
  const col = columnIndex(OPERACIONES_HEADER, 'Ocupado_Por');
  snapshot.spools.forEach((sp, i) => {
    if (sp.occupiedBy !== '') opRows[i + 1]![col] = sp.occupiedBy;
  });
}
