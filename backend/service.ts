/** The spool-tracking service: the contract's endpoints as reads, decisions (rules.ts) and one write plan each. */
import { HttpError } from './http-error.ts';
import type { RandomSource } from './random-source.ts';
import { cellToIsoDate, cellToTimestampText, formatDate, formatTimestamp } from './time-format.ts';
import {
  checkArmPrerequisite,
  checkFinalizar,
  checkIniciar,
  disponibles,
  metricas,
  planCancel,
  planFinalizar,
  planIniciar,
  spoolFilter,
  spoolNotFound,
  workerInitials,
  workerNotFound,
} from './rules.ts';
import type { Stamp } from './rules.ts';
import type { SpoolRecord } from './records.ts';
import type { EndpointKind, SpoolStore } from './store.ts';
import type { FinalizarRequest, IniciarRequest } from './validation.ts';

/** A successful answer. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Serves the contract over a SpoolStore; every Sheets failure becomes the store profile's error answer. */
export class SpoolService {
  constructor(
    private readonly store: SpoolStore,
    private readonly random: RandomSource,
  ) {}

  private stamp(nowMs: number): Stamp {
    return { timestamp: formatTimestamp(nowMs), date: formatDate(nowMs), uuid: () => this.random.uuid() };
  }

  private async guard(endpoint: EndpointKind, fn: () => Promise<Reply>): Promise<Reply> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof HttpError) throw err;
      const answer = this.store.failure(err, endpoint);
      throw new HttpError(answer.status, answer.body, answer.headers);
    }
  }

  /** POST /api/v4/occupation/iniciar (contract steps 2–8). */
  iniciar(req: IniciarRequest, nowMs: number): Promise<Reply> {
    return this.store.exclusive(req.tag_spool, () =>
      this.guard('iniciar', async () => {
        const spool = await this.store.findSpool(req.tag_spool);
        if (!spool) throw spoolNotFound(req.tag_spool);
        const worker = await this.store.findWorker(req.worker_id, false);
        if (!worker || !worker.activo) throw workerNotFound(req.worker_id);
        checkIniciar(req, spool);
        if (req.operacion === 'SOLD') checkArmPrerequisite(spool.tag, await this.store.unionsOfOt(spool.ot));
        const { plan, body } = planIniciar(req, spool, this.stamp(nowMs));
        await this.store.commit(plan);
        return { status: 200, body };
      }),
    );
  }

  /** POST /api/v4/occupation/finalizar (contract steps 2–10). */
  finalizar(req: FinalizarRequest, nowMs: number): Promise<Reply> {
    return this.store.exclusive(req.tag_spool, () =>
      this.guard('finalizar', async () => {
        const spool = await this.store.findSpool(req.tag_spool);
        if (!spool) throw spoolNotFound(req.tag_spool);
        const worker = await this.store.findWorker(req.worker_id, true);
        if (!worker || !worker.activo) throw workerNotFound(req.worker_id);
        checkFinalizar(req, spool);
        const stamp = this.stamp(nowMs);
        if (req.selected_unions.length === 0) {
          const { plan, body } = planCancel(req, spool, worker, stamp);
          await this.store.commit(plan);
          return { status: 200, body };
        }
        const unions = await this.store.unionsOfOt(spool.ot);
        const { plan, body } = planFinalizar(req as FinalizarRequest & { operacion: 'ARM' | 'SOLD' }, spool, worker, unions, stamp);
        await this.store.commit(plan);
        return { status: 200, body };
      }),
    );
  }

  /** GET /api/v4/uniones/{tag}/disponibles. */
  disponibles(tag: string, op: 'ARM' | 'SOLD'): Promise<Reply> {
    return this.store.exclusive(tag, () =>
      this.guard('uniones', async () => {
        const spool = await this.store.findSpool(tag);
        if (!spool) throw spoolNotFound(tag);
        return { status: 200, body: disponibles(spool.tag, op, await this.store.unionsOfOt(spool.ot)) };
      }),
    );
  }

  /** GET /api/v4/uniones/{tag}/metricas. */
  metricas(tag: string): Promise<Reply> {
    return this.store.exclusive(tag, () =>
      this.guard('uniones', async () => {
        const spool = await this.store.findSpool(tag);
        if (!spool) throw spoolNotFound(tag);
        return { status: 200, body: metricas(spool.tag, await this.store.unionsOfOt(spool.ot)) };
      }),
    );
  }

  /** GET /api/workers: active workers with their roles. */
  workers(): Promise<Reply> {
    return this.store.exclusive('', () =>
      this.guard('workers', async () => {
        const workers = (await this.store.listWorkers()).filter((w) => w.activo);
        return {
          status: 200,
          body: {
            workers: workers.map((w) => ({ id: w.id, nombre: w.nombre, apellido: w.apellido, rol: w.rol, roles: w.roles, activo: true, nombre_completo: workerInitials(w) })),
            total: workers.length,
          },
        };
      }),
    );
  }

  /** GET /api/spools/iniciar?operacion=ARM|SOLD|METROLOGIA: spools eligible to start. */
  spoolsIniciar(op: string): Promise<Reply> {
    const filter = spoolFilter(op);
    return this.store.exclusive('', () =>
      this.guard('spools', async () => {
        const spools = (await this.store.listSpools()).filter(filter.eligible);
        return { status: 200, body: { spools: spools.map(spoolJson), total: spools.length, filtro_aplicado: filter.text } };
      }),
    );
  }

  /** GET /api/health: always 200; `unhealthy` when the workbook cannot be read. */
  health(wallNowMs: number): Promise<Reply> {
    return this.store.exclusive('', async () => {
      let ok = false;
      let error: string | undefined;
      try {
        ok = await this.store.checkHealth();
      } catch (err) {
        error = (err as Error).message;
      }
      const body: Record<string, unknown> = {
        status: ok ? 'healthy' : 'unhealthy',
        operational: ok,
        timestamp: new Date(wallNowMs).toISOString(),
        environment: 'sheetsim',
        sheets_connection: ok ? 'ok' : 'error',
        version: '3.0.0',
        profile: this.store.profile,
      };
      if (error) body.details = { sheets_error: error };
      return { status: 200, body };
    });
  }
}

/** The v3 `Spool` JSON of the spool lists (dates ISO, arm/sold always PENDIENTE as the spec says). */
function spoolJson(s: SpoolRecord): unknown {
  return {
    tag_spool: s.tag,
    nv: s.nv,
    arm: 'PENDIENTE',
    sold: 'PENDIENTE',
    fecha_materiales: cellToIsoDate(s.fechaMateriales),
    fecha_armado: cellToIsoDate(s.fechaArmado),
    fecha_soldadura: cellToIsoDate(s.fechaSoldadura),
    fecha_qc_metrologia: cellToIsoDate(s.fechaQcMetrologia),
    armador: s.armador,
    soldador: s.soldador,
    proyecto: null,
    ocupado_por: s.ocupadoPor || null,
    fecha_ocupacion: cellToTimestampText(s.fechaOcupacion),
    version: s.version === undefined || s.version === null || s.version === '' ? null : String(s.version),
    estado_detalle: s.estadoDetalle,
  };
}
