import { describe, expect, it } from 'vitest';
import { DEFAULT_WORLD_PARAMS, MAX_N_UNION, auditSpreadsheetId, generateWorld, worldSpreadsheetId, worldWorkbooks } from '../../simulator/workload/world.ts';

const params = { ...DEFAULT_WORLD_PARAMS, spools: 100 };
const world = generateWorld(params);
const sheet = (title: string) => world.workbook.sheets.find((s) => s.title === title)!;
const col = (title: string, name: string) => sheet(title).rows[0]!.indexOf(name);

describe('the seeded world', () => {
  it('has the workbook identity and the five tabs in order', () => {
    expect(world.workbook.spreadsheetId).toBe('zeues-seed-42');
    expect(worldSpreadsheetId(7)).toBe('zeues-seed-7');
    expect(world.workbook.title).toBe('ZEUES (sheetsim world, seed 42)');
    expect(world.workbook.locale).toBe('es_CL');
    expect(world.workbook.timeZone).toBe('America/Santiago');
    expect(world.workbook.sheets.map((s) => s.title)).toEqual(['Operaciones', 'Uniones', 'Metadata', 'Trabajadores', 'Roles']);
    expect(sheet('Operaciones').rows[0]).toHaveLength(75);
    expect(sheet('Operaciones').rows[0]![6]).toBe('TAG_SPOOL'); // column G, which two backend paths hard-code
    expect(sheet('Uniones').rows[0]).toHaveLength(17);
    expect(sheet('Metadata').rows).toHaveLength(1);
    expect(sheet('Metadata').rows[0]).toHaveLength(11);
    expect(sheet('Trabajadores').rows[0]).toEqual(['Id', 'Nombre', 'Apellido', 'Rol', 'Activo']);
    expect(sheet('Roles').rows[0]).toEqual(['Id', 'Rol', 'Activo']);
  });

  it('formats the date columns (and the date-formatted Total_Uniones) as production does', () => {
    const f = sheet('Operaciones').columnFormats!;
    expect(f[col('Operaciones', 'Fecha_Materiales')]).toEqual({ type: 'DATE', pattern: 'dd-mm-yyyy' });
    expect(f[col('Operaciones', 'Fecha_Ocupacion')]).toEqual({ type: 'DATE_TIME', pattern: 'dd-mm-yyyy hh:mm:ss' });
    expect(f[col('Operaciones', 'Total_Uniones')]).toEqual({ type: 'DATE', pattern: 'yyyy-mm-dd' });
    expect(sheet('Uniones').columnFormats![col('Uniones', 'ARM_FECHA_FIN')]).toEqual({ type: 'DATE_TIME', pattern: 'dd-mm-yyyy hh:mm:ss' });
  });

  it('spools OT-001… with their OT, counts and empty occupation; most with materials', () => {
    const rows = sheet('Operaciones').rows.slice(1);
    expect(rows).toHaveLength(100);
    rows.forEach((r, i) => {
      const tag = `OT-${String(i + 1).padStart(3, '0')}`;
      expect(r[col('Operaciones', 'TAG_SPOOL')]).toBe(tag);
      expect(r[col('Operaciones', 'OT')]).toBe(tag);
      expect(r[col('Operaciones', 'Ocupado_Por')]).toBe('');
      expect(r[col('Operaciones', 'Fecha_Ocupacion')]).toBe('');
      expect(r[col('Operaciones', 'version')]).toBe('v4.0');
      expect(r[col('Operaciones', 'Total_Uniones')]).toBe(world.spools[i]!.unions.length);
      expect(String(r[col('Operaciones', 'NV')])).toMatch(/^NV100\d$/);
    });
    const withMaterials = rows.filter((r) => r[col('Operaciones', 'Fecha_Materiales')] !== '').length;
    expect(withMaterials).toBeGreaterThanOrEqual(88);
    expect(withMaterials).toBeLessThan(100);
  });

  it('union IDs are {OT}+{N_UNION} (what the real backend builds), N sequential 1..20; DN and types from the real sets', () => {
    const urows = sheet('Uniones').rows.slice(1);
    const perTag = new Map<string, number[]>();
    for (const r of urows) {
      const id = String(r[0]);
      const tag = String(r[col('Uniones', 'TAG_SPOOL')]);
      const n = Number(r[col('Uniones', 'N_UNION')]);
      expect(id).toMatch(/^OT-\d{3,}\+[1-9]\d*$/);
      expect(id).toBe(`${tag}+${n}`);
      // The real backend ignores ID and builds `{OT}+{N_UNION}`: that must give the id the trace sends.
      expect(`${r[col('Uniones', 'OT')]}+${n}`).toBe(id);
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(MAX_N_UNION);
      expect([0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0]).toContain(r[col('Uniones', 'DN_UNION')]);
      expect(['BW', 'BR', 'SO', 'FILL', 'LET', 'FW']).toContain(r[col('Uniones', 'TIPO_UNION')]);
      perTag.set(tag, [...(perTag.get(tag) ?? []), n]);
    }
    expect(perTag.size).toBe(100);
    for (const ns of perTag.values()) {
      expect(ns).toEqual(ns.map((_, i) => i + 1));
      expect(ns.length >= 2 && ns.length <= 20).toBe(true);
    }
    const stress = world.spools.filter((s) => s.stress);
    expect(stress.length).toBeGreaterThanOrEqual(3);
    for (const s of stress) {
      expect(s.unions).toHaveLength(MAX_N_UNION);
      expect(s.unions.every((u) => !u.armDone)).toBe(true);
      expect(s.hasMaterials).toBe(true);
    }
    const sizes = world.spools.filter((s) => !s.stress).map((s) => s.unions.length);
    const midShare = sizes.filter((n) => n >= 4 && n <= 10).length / sizes.length;
    expect(midShare).toBeGreaterThan(0.5);
    const types = world.spools.flatMap((s) => s.unions.map((u) => u.tipo));
    expect(types.filter((t) => t === 'FW').length / types.length).toBeLessThan(0.4);
    expect(types.filter((t) => t === 'FW').length).toBeGreaterThan(0);
  });

  it('spools start in a spread of states with SOLD work available, completed unions dated before the start', () => {
    const states = new Set(world.spools.map((s) => s.state));
    expect(states).toEqual(new Set(['LIBRE', 'ARM_PARCIAL', 'ARM_TERMINADO', 'SOLD_PARCIAL', 'SOLD_TERMINADO']));
    const soldWork = world.spools.filter((s) => s.hasMaterials && s.unions.some((u) => u.armDone && !u.soldDone && u.soldRequired));
    expect(soldWork.length).toBeGreaterThanOrEqual(10);
    const urows = sheet('Uniones').rows.slice(1);
    let done = 0;
    for (const r of urows) {
      const fin = String(r[col('Uniones', 'ARM_FECHA_FIN')]);
      if (fin === '') {
        expect(r[col('Uniones', 'ARM_WORKER')]).toBe('');
        expect(r[col('Uniones', 'SOL_FECHA_FIN')]).toBe('');
        continue;
      }
      done += 1;
      const m = /^(\d{2})-(\d{2})-(\d{4}) \d{2}:\d{2}:\d{2}$/.exec(fin)!;
      expect(m).not.toBeNull();
      expect(`${m[3]}-${m[2]}-${m[1]}` < '2026-03-02').toBe(true);
      expect(String(r[col('Uniones', 'ARM_WORKER')])).toMatch(/^[A-Z]{2}\(\d+\)$/); // INICIALES(ID), as FINALIZAR writes
    }
    expect(done).toBeGreaterThan(50);
  });

  it('payroll: ids 1..N, 90% active, tokens INICIALES(ID), Roles consistent with Trabajadores', () => {
    const rows = sheet('Trabajadores').rows.slice(1);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(rows.filter((r) => r[4] === 'TRUE')).toHaveLength(90);
    for (const w of world.workers) {
      expect(w.token).toBe(`${w.nombre[0]}${w.apellido[0]}(${w.id})`);
      expect(w.token).toMatch(/^[A-Z]{2}\(\d+\)$/);
    }
    const roleRows = sheet('Roles').rows.slice(1);
    for (const r of roleRows) {
      const w = world.workers[Number(r[0]) - 1]!;
      expect(w.roles).toContain(r[1]);
      expect(r[2]).toBe(w.active ? 'TRUE' : 'FALSE');
    }
    expect(roleRows.length).toBeGreaterThan(100); // some workers hold two roles
    expect(new Set(rows.map((r) => r[3]))).toContain('Armador');
    expect(new Set(rows.map((r) => r[3]))).toContain('Soldador');
  });

  it('has the audit workbook a HEAD backend needs (GOOGLE_AUDIT_SHEET_ID): Lista seeded with world spools, empty logs', () => {
    const audit = world.auditWorkbook;
    expect(audit.spreadsheetId).toBe('zeues-seed-42-audit');
    expect(auditSpreadsheetId(7)).toBe('zeues-seed-7-audit');
    expect(worldWorkbooks(world).map((w) => w.spreadsheetId)).toEqual(['zeues-seed-42', 'zeues-seed-42-audit']);
    expect(audit.sheets.map((s) => s.title)).toEqual(['Lista', 'Audit', 'Snapshots_Legacy']);
    const [lista, log, snapshots] = audit.sheets;
    expect(lista!.rows[0]).toEqual(['TAG_SPOOL', 'Added_At', 'Updated_At', 'Notes']);
    expect(log!.rows).toEqual([['ID', 'Timestamp', 'Session_ID', 'Event_Type', 'TAG_SPOOL', 'Modal', 'Route', 'Payload_JSON']]);
    expect(snapshots!.rows).toEqual([['Snapshot_ID', 'Captured_At', 'Raw_JSON', 'User_Agent']]);
    const tags = new Set(world.spools.map((s) => s.tag));
    expect(lista!.rows.length).toBeGreaterThan(1);
    for (const r of lista!.rows.slice(1)) {
      expect(tags.has(String(r[0]))).toBe(true);
      const toIso = (v: unknown) => String(v).replace(/^(\d{2})-(\d{2})-(\d{4}) (.*)$/, '$3-$2-$1 $4');
      expect(toIso(r[1]) < '2026-03-02').toBe(true);
      expect(toIso(r[2]) >= toIso(r[1])).toBe(true);
    }
    // Its own random stream: building it alone gives the same cells as after the main workbook.
    expect(generateWorld(params).auditWorkbook).toEqual(audit);
  });

  it('is deterministic: same params same world, another seed another world', () => {
    expect(generateWorld(params).workbook).toEqual(world.workbook);
    expect(generateWorld({ ...params, seed: 43 }).workbook.sheets[1]).not.toEqual(world.workbook.sheets[1]);
    expect(() => generateWorld({ ...DEFAULT_WORLD_PARAMS, startDate: '2026-02-30' })).toThrow(/startDate/);
    expect(() => generateWorld({ ...DEFAULT_WORLD_PARAMS, spools: 0 })).toThrow(/world.spools/);
  });
});
