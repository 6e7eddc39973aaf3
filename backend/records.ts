/** The backend's view of the workbook: spools, unions, workers and roles parsed from whole tabs. */
import type { Cell } from './sheets-client.ts';
import { SheetTable, cellText, isBlank } from './sheet-table.ts';

/** Tab names the backend reads and writes (the real defaults). */
export const TABS = { operaciones: 'Operaciones', uniones: 'Uniones', metadata: 'Metadata', trabajadores: 'Trabajadores', roles: 'Roles' } as const;

/** Union types that need SOLD after ARM; any other type (FW…) is ARM-only. */
export const SOLD_REQUIRED_TYPES: ReadonlySet<string> = new Set(['BW', 'BR', 'SO', 'FILL', 'LET']);

/** One Operaciones row. `row` is the 1-based sheet row. */
export interface SpoolRecord {
  row: number;
  tag: string;
  ot: string;
  nv: string | null;
  fechaMateriales: Cell;
  fechaArmado: Cell;
  armador: string | null;
  fechaSoldadura: Cell;
  soldador: string | null;
  fechaQcMetrologia: Cell;
  ocupadoPor: string;
  fechaOcupacion: Cell;
  version: Cell;
  estadoDetalle: string | null;
}

/** One Uniones row. */
export interface UnionRecord {
  row: number;
  id: string;
  ot: string;
  tag: string;
  nUnion: number;
  /** Inches; null when the cell is not numeric (skipped by metricas). */
  dn: number | null;
  tipo: string;
  armDone: boolean;
  solDone: boolean;
}

/** One Trabajadores row with its active roles from Roles. */
export interface WorkerRecord {
  id: number;
  nombre: string;
  apellido: string;
  rol: string | null;
  activo: boolean;
  roles: string[];
}

/** OT as a comparable key: text, with leading zeros dropped when numeric (a USER_ENTERED `001` reads back as 1). */
export function otKey(cell: Cell): string {
  const text = cellText(cell);
  return /^\d+$/.test(text) ? String(Number(text)) : text;
}

const textOrNull = (cell: Cell): string | null => (isBlank(cell) ? null : cellText(cell));

/** The TAG_SPOOL column of an Operaciones table: found by name, else column G as the real code falls back to. */
function tagColumn(table: SheetTable): number {
  const found = table.column('TAG_SPOOL');
  return found >= 0 ? found : 6;
}

/** Every spool of an Operaciones table (rows without a TAG_SPOOL are skipped). */
export function readSpools(table: SheetTable): SpoolRecord[] {
  const out: SpoolRecord[] = [];
  const tagCol = tagColumn(table);
  for (let row = 2; row <= table.values.length; row++) {
    const tag = cellText(table.values[row - 1]?.[tagCol]);
    if (tag) out.push(spoolAt(table, row, tag));
  }
  return out;
}

/** The first spool with this tag: `readSpools(table).find(…)` without reading the other rows. */
export function findSpoolIn(table: SheetTable, tag: string): SpoolRecord | null {
  if (tag === '') return null;
  const tagCol = tagColumn(table);
  for (let row = 2; row <= table.values.length; row++) {
    if (cellText(table.values[row - 1]?.[tagCol]) === tag) return spoolAt(table, row, tag);
  }
  return null;
}

const SPOOL_COLUMNS = [
  'OT', 'NV', 'Fecha_Materiales', 'Fecha_Armado', 'Armador', 'Fecha_Soldadura', 'Soldador', 'Fecha_QC_Metrología', 'Ocupado_Por',
  'Fecha_Ocupacion', 'version', 'Estado_Detalle',
] as const;

/** The spool at a 1-based sheet row. */
export function spoolAt(table: SheetTable, row: number, tag: string): SpoolRecord {
  const columns = table.columnsOf(SPOOL_COLUMNS);
  const g = (name: (typeof SPOOL_COLUMNS)[number]): Cell => table.at(row, columns[name]);
  return {
    row,
    tag,
    ot: otKey(g('OT')),
    nv: textOrNull(g('NV')),
    fechaMateriales: g('Fecha_Materiales'),
    fechaArmado: g('Fecha_Armado'),
    armador: textOrNull(g('Armador')),
    fechaSoldadura: g('Fecha_Soldadura'),
    soldador: textOrNull(g('Soldador')),
    fechaQcMetrologia: g('Fecha_QC_Metrología'),
    ocupadoPor: cellText(g('Ocupado_Por')),
    fechaOcupacion: g('Fecha_Ocupacion'),
    version: g('version'),
    estadoDetalle: textOrNull(g('Estado_Detalle')),
  };
}

/** The unions of one OT, in row order (rows without OT or N_UNION are skipped); only that OT's rows are read whole. */
export function unionsOfOtIn(table: SheetTable, ot: string): UnionRecord[] {
  const otCol = table.columnsOf(UNION_COLUMNS).OT;
  const out: UnionRecord[] = [];
  for (let row = 2; row <= table.values.length; row++) {
    if (otKey(table.at(row, otCol)) !== ot) continue;
    const u = unionAt(table, row);
    if (u) out.push(u);
  }
  return out;
}

const UNION_COLUMNS = ['OT', 'N_UNION', 'TAG_SPOOL', 'DN_UNION', 'TIPO_UNION', 'ARM_FECHA_FIN', 'SOL_FECHA_FIN'] as const;

/** The union at a 1-based sheet row, or null when the row has no OT or N_UNION. */
export function unionAt(table: SheetTable, row: number): UnionRecord | null {
  const c = table.columnsOf(UNION_COLUMNS);
  const otText = cellText(table.at(row, c.OT));
  const ot = otKey(table.at(row, c.OT));
  const n = Number(cellText(table.at(row, c.N_UNION)));
  if (!ot || !Number.isInteger(n) || n < 1) return null;
  const tag = cellText(table.at(row, c.TAG_SPOOL));
  const dnText = cellText(table.at(row, c.DN_UNION));
  const dn = dnText === '' ? NaN : Number(dnText);
  return {
    row,
    // As the HEAD backend does: the ID column is ignored (production once held sequential ids there).
    id: `${otText}+${n}`,
    ot,
    tag,
    nUnion: n,
    dn: Number.isFinite(dn) ? dn : null,
    tipo: cellText(table.at(row, c.TIPO_UNION)).toUpperCase(),
    armDone: !isBlank(table.at(row, c.ARM_FECHA_FIN)),
    solDone: !isBlank(table.at(row, c.SOL_FECHA_FIN)),
  };
}

const isTrue = (cell: Cell): boolean => cell === true || cellText(cell).toUpperCase() === 'TRUE';

/** Active roles per worker id from a Roles table (`Id | Rol | Activo`; several rows per worker). */
export function readRoles(table: SheetTable | null): Map<number, string[]> {
  const roles = new Map<number, string[]>();
  if (!table) return roles;
  for (let row = 2; row <= table.values.length; row++) {
    const id = Number(cellText(table.get(row, 'Id')));
    const rol = cellText(table.get(row, 'Rol'));
    if (!Number.isInteger(id) || !rol || !isTrue(table.get(row, 'Activo'))) continue;
    const list = roles.get(id) ?? [];
    list.push(rol);
    roles.set(id, list);
  }
  return roles;
}

/** Every worker of a Trabajadores table (`Id | Nombre | Apellido | Rol | Activo`), with roles when given. */
export function readWorkers(table: SheetTable, roles: Map<number, string[]> = new Map()): WorkerRecord[] {
  const out: WorkerRecord[] = [];
  for (let row = 2; row <= table.values.length; row++) {
    const id = Number(cellText(table.get(row, 'Id')));
    if (!Number.isInteger(id) || id <= 0) continue;
    out.push({
      id,
      nombre: cellText(table.get(row, 'Nombre')),
      apellido: cellText(table.get(row, 'Apellido')),
      rol: textOrNull(table.get(row, 'Rol')),
      activo: isTrue(table.get(row, 'Activo')),
      roles: roles.get(id) ?? [],
    });
  }
  return out;
}
