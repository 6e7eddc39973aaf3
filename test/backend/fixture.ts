/** A small ZEUES workbook with the real tab layouts, built for the backend tests (each spool in a known state). */
import type { CellInput, WorkbookSpec } from '../../mock-sheets/workbook.ts';
import { METADATA_HEADER, OPERACIONES_HEADER, ROLES_HEADER, TRABAJADORES_HEADER, UNIONES_HEADER } from '../../simulator/workload/layout.ts';

export const SPREADSHEET_ID = 'backend-test';

export interface UnionSpec {
  tipo: string;
  dn: number;
  arm?: boolean;
  sol?: boolean;
}

export interface SpoolSpec {
  tag: string;
  materials?: boolean;
  ocupadoPor?: string;
  unions: UnionSpec[];
}

const bw = (n: number, dn = 1): UnionSpec[] => Array.from({ length: n }, () => ({ tipo: 'BW', dn }));

/** Spools by purpose: OT-001 fresh mix, OT-002 no materials, OT-003 ready for SOLD, OT-004 held by JP(2), OT-005 FW only, OT-006 no unions, OT-007 stress (50), OT-101… concurrency. */
export function defaultSpools(concurrent = 60): SpoolSpec[] {
  return [
    { tag: 'OT-001', unions: [{ tipo: 'BW', dn: 2 }, { tipo: 'BW', dn: 3 }, { tipo: 'FW', dn: 1.5 }, { tipo: 'SO', dn: 0.5 }] },
    { tag: 'OT-002', materials: false, unions: bw(1) },
    { tag: 'OT-003', unions: [{ tipo: 'BW', dn: 2, arm: true }, { tipo: 'SO', dn: 1, arm: true }, { tipo: 'FW', dn: 4, arm: true }] },
    { tag: 'OT-004', ocupadoPor: 'JP(2)', unions: bw(1) },
    { tag: 'OT-005', unions: [{ tipo: 'FW', dn: 1 }, { tipo: 'FW', dn: 2 }] },
    { tag: 'OT-006', unions: [] },
    { tag: 'OT-007', unions: bw(50, 0.5) },
    ...Array.from({ length: concurrent }, (_, i) => ({ tag: `OT-${101 + i}`, unions: bw(3, 2) })),
  ];
}

/** Worker ids: 1 Ana Rodriguez, 2 Juan Perez (Soldador + Ayudante), 3 inactive, 10…69 active armadores. */
export function fixtureWorkbook(spools: SpoolSpec[] = defaultSpools()): WorkbookSpec {
  const col = (name: string): number => OPERACIONES_HEADER.indexOf(name);
  const operaciones: CellInput[][] = [OPERACIONES_HEADER.slice()];
  const uniones: CellInput[][] = [UNIONES_HEADER.slice()];
  spools.forEach((s, i) => {
    const ot = s.tag; // OT = tag, so the id the backend builds, `{OT}+{N_UNION}`, is `OT-005+1`
    const row: CellInput[] = OPERACIONES_HEADER.map(() => '');
    row[col('id')] = i + 1;
    row[col('NV')] = 'NV1000';
    row[col('OT')] = ot;
    row[col('TAG_SPOOL')] = s.tag;
    row[col('Fecha_Materiales')] = s.materials === false ? '' : '02-03-2026';
    row[col('Ocupado_Por')] = s.ocupadoPor ?? '';
    row[col('Fecha_Ocupacion')] = s.ocupadoPor ? '02-03-2026 08:00:00' : '';
    row[col('version')] = 'v4.0';
    row[col('Total_Uniones')] = s.unions.length;
    operaciones.push(row);
    s.unions.forEach((u, j) => {
      uniones.push([
        `${s.tag}+${j + 1}`, ot, j + 1, s.tag, u.dn, u.tipo,
        '', u.arm ? '02-03-2026 09:00:00' : '', u.arm ? 'Seed(99)' : '',
        '', u.sol ? '02-03-2026 10:00:00' : '', u.sol ? 'Seed(99)' : '',
        '', '', '', '', 'v4.0',
      ]);
    });
  });
  const trabajadores: CellInput[][] = [TRABAJADORES_HEADER.slice(), [1, 'Ana', 'Rodriguez', 'Armador', 'TRUE'], [2, 'Juan', 'Perez', 'Soldador', 'TRUE'], [3, 'Carla', 'Vidal', 'Armador', 'FALSE']];
  const roles: CellInput[][] = [ROLES_HEADER.slice(), [1, 'Armador', 'TRUE'], [2, 'Soldador', 'TRUE'], [2, 'Ayudante', 'TRUE'], [2, 'Armador', 'FALSE'], [3, 'Armador', 'TRUE']];
  for (let id = 10; id < 70; id++) {
    trabajadores.push([id, `Nombre${id}`, `Apellido${id}`, 'Armador', 'TRUE']);
    roles.push([id, 'Armador', 'TRUE']);
  }
  const dateTime = { type: 'DATE_TIME' as const, pattern: 'dd-mm-yyyy hh:mm:ss' };
  return {
    spreadsheetId: SPREADSHEET_ID,
    title: 'ZEUES backend test',
    locale: 'es_CL',
    timeZone: 'America/Santiago',
    sheets: [
      { title: 'Operaciones', rows: operaciones, columnFormats: { [col('Fecha_Materiales')]: { type: 'DATE', pattern: 'dd-mm-yyyy' }, [col('Fecha_Ocupacion')]: dateTime } },
      { title: 'Uniones', rows: uniones, columnFormats: { 7: dateTime, 10: dateTime } },
      { title: 'Metadata', rows: [METADATA_HEADER.slice()] },
      { title: 'Trabajadores', rows: trabajadores },
      { title: 'Roles', rows: roles },
    ],
  };
}
