/**
 * An independent reading of docs/contract.md for tests: it rebuilds state from the world *workbook rows* (not the
 * generator's typed view or model) and answers each request as the contract says. Deliberately written apart from
 * simulator/workload/model.ts, so a generator bug cannot agree with itself.
 */
import type { WorkbookSpec } from '../../mock-sheets/workbook.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';

interface Union { id: string; tipo: string; armFin: boolean; solFin: boolean }
interface Spool { tag: string; ot: string; materiales: boolean; ocupadoPor: string }

const SOLD_TYPES = new Set(['BW', 'BR', 'SO', 'FILL', 'LET']);

export class ContractChecker {
  readonly spools = new Map<string, Spool>();
  readonly unionsByOt = new Map<string, Union[]>();
  readonly activeWorkers = new Set<number>();
  readonly allWorkers = new Set<number>();

  constructor(workbook: WorkbookSpec) {
    const tab = (name: string) => {
      const rows = workbook.sheets.find((s) => s.title === name)!.rows;
      const head = rows[0]!.map(String);
      return rows.slice(1).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
    };
    const text = (v: unknown) => String(v ?? '').replace(/^'/, '');
    for (const r of tab('Operaciones')) {
      this.spools.set(text(r.TAG_SPOOL), { tag: text(r.TAG_SPOOL), ot: text(r.OT), materiales: text(r.Fecha_Materiales) !== '', ocupadoPor: text(r.Ocupado_Por) });
    }
    for (const r of tab('Uniones')) {
      const ot = text(r.OT);
      const list = this.unionsByOt.get(ot) ?? [];
      list.push({ id: text(r.ID), tipo: text(r.TIPO_UNION), armFin: text(r.ARM_FECHA_FIN) !== '', solFin: text(r.SOL_FECHA_FIN) !== '' });
      this.unionsByOt.set(ot, list);
    }
    for (const r of tab('Trabajadores')) {
      this.allWorkers.add(Number(r.Id));
      if (text(r.Activo).toUpperCase() === 'TRUE') this.activeWorkers.add(Number(r.Id));
    }
  }

  private unions(s: Spool): Union[] {
    return this.unionsByOt.get(s.ot) ?? [];
  }

  /** The contract's answer to one trace request, applying its effects. */
  answer(e: TraceEvent): { status: number; action_taken?: string } {
    const { method, path, body } = e.req;
    const b = (body ?? {}) as Record<string, unknown>;
    if (method === 'POST' && path === '/api/v4/occupation/iniciar') return this.iniciar(b);
    if (method === 'POST' && path === '/api/v4/occupation/finalizar') return this.finalizar(b);
    const m = /^\/api\/v4\/uniones\/([^/]+)\/(disponibles|metricas)(?:\?operacion=(.*))?$/.exec(path);
    if (method === 'GET' && m) {
      if (m[2] === 'disponibles' && m[3] !== 'ARM' && m[3] !== 'SOLD') return { status: 422 };
      const s = this.spools.get(decodeURIComponent(m[1]!));
      if (!s) return { status: 404 };
      if (m[2] === 'metricas' && this.unions(s).length === 0) return { status: 404 };
      return { status: 200 };
    }
    throw new Error(`checker: unknown request ${method} ${path}`);
  }

  private iniciar(b: Record<string, unknown>) {
    const ops = ['ARM', 'SOLD', 'METROLOGIA', 'REPARACION'];
    if (typeof b.tag_spool !== 'string' || !b.tag_spool || typeof b.worker_id !== 'number' || !Number.isInteger(b.worker_id) || b.worker_id <= 0
      || typeof b.worker_nombre !== 'string' || !b.worker_nombre || !ops.includes(b.operacion as string)) return { status: 422 };
    const s = this.spools.get(b.tag_spool);
    if (!s) return { status: 404 };
    if (!this.activeWorkers.has(b.worker_id)) return { status: 404 };
    if (b.operacion === 'METROLOGIA' || b.operacion === 'REPARACION') return { status: 400 };
    if (!s.materiales) return { status: 400 };
    if (s.ocupadoPor !== '') return { status: 409 };
    if (b.operacion === 'SOLD' && !this.unions(s).some((u) => u.armFin)) return { status: 403 };
    s.ocupadoPor = b.worker_nombre;
    return { status: 200 };
  }

  private finalizar(b: Record<string, unknown>) {
    const sel = b.selected_unions ?? [];
    if (typeof b.tag_spool !== 'string' || !b.tag_spool || typeof b.worker_id !== 'number' || !Number.isInteger(b.worker_id) || b.worker_id <= 0
      || typeof b.operacion !== 'string' || !b.operacion || !Array.isArray(sel) || sel.some((x) => typeof x !== 'string')) return { status: 422 };
    const s = this.spools.get(b.tag_spool);
    if (!s) return { status: 404 };
    if (!this.activeWorkers.has(b.worker_id)) return { status: 404 };
    if (b.operacion !== 'ARM' && b.operacion !== 'SOLD') return { status: 400 };
    const owner = /\((\d+)\)$/.exec(s.ocupadoPor);
    if (!owner || Number(owner[1]) !== b.worker_id) return { status: 403 };
    const selected = [...new Set(sel as string[])];
    if (selected.length === 0) {
      s.ocupadoPor = '';
      return { status: 200, action_taken: 'CANCELADO' };
    }
    const unions = this.unions(s);
    const available = b.operacion === 'ARM'
      ? unions.filter((u) => !u.armFin)
      : unions.filter((u) => u.armFin && !u.solFin && SOLD_TYPES.has(u.tipo));
    const ids = new Set(available.map((u) => u.id));
    if (selected.some((id) => !ids.has(id))) return { status: 409 };
    for (const u of available) {
      if (!selected.includes(u.id)) continue;
      if (b.operacion === 'ARM') u.armFin = true;
      else u.solFin = true;
    }
    const complete = b.operacion === 'ARM' ? unions.every((u) => u.armFin) : unions.filter((u) => SOLD_TYPES.has(u.tipo)).every((u) => u.solFin);
    s.ocupadoPor = '';
    return { status: 200, action_taken: complete ? 'COMPLETAR' : 'PAUSAR' };
  }
}
