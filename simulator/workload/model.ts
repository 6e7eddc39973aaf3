import type { ActionTaken } from '../trace/types.ts';
import { IndexedSet } from './indexed-set.ts';
import type { World, WorldSpool, WorldWorker } from './world.ts';

/** What the contract (docs/contract.md) answers to one request: the status and, for FINALIZAR 200, the action. */
export interface Outcome {
  status: number;
  action_taken?: ActionTaken;
}

interface UnionState {
  id: string;
  dn: number;
  soldRequired: boolean;
  armDone: boolean;
  soldDone: boolean;
}

/** A spool's live state; counters are kept so the generator can pick work without scanning unions. */
export interface SpoolState {
  index: number;
  tag: string;
  stress: boolean;
  hasMaterials: boolean;
  unions: UnionState[];
  /** Unions with ARM not done. */
  armAvailable: number;
  /** SOLD-required unions with ARM done and SOLD not done. */
  soldAvailable: number;
  armDoneCount: number;
  /** `Ocupado_Por`; empty = free. */
  occupiedBy: string;
  /** The worker id `occupiedBy` names (`MR(93)` → 93); undefined when free or when the token names nobody (`WORKER17`). */
  ownerId: number | undefined;
}

const OWNER_ID = /\((\d+)\)$/;
const INICIAR_OPS = ['ARM', 'SOLD', 'METROLOGIA', 'REPARACION'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * The generator's in-memory world: spools, unions and occupation, changed by each request exactly as docs/contract.md
 * says, assuming each request completes at its event time. It predicts every event's `expect`.
 */
export class WorldModel {
  readonly spools: SpoolState[];
  private readonly byTag = new Map<string, SpoolState>();
  private readonly workers = new Map<number, WorldWorker>();
  /** Free spools with materials, by kind of work they offer (the generator picks from these). */
  readonly freeArm: IndexedSet;
  readonly freeSold: IndexedSet;
  readonly freeStress: IndexedSet;
  readonly freeAny: IndexedSet;
  readonly occupied: IndexedSet;

  constructor(world: World) {
    this.spools = world.spools.map((s) => toState(s));
    for (const s of this.spools) this.byTag.set(s.tag, s);
    for (const w of world.workers) this.workers.set(w.id, w);
    const n = this.spools.length;
    this.freeArm = new IndexedSet(n);
    this.freeSold = new IndexedSet(n);
    this.freeStress = new IndexedSet(n);
    this.freeAny = new IndexedSet(n);
    this.occupied = new IndexedSet(n);
    for (const s of this.spools) this.reindex(s);
  }

  /** The spool with this tag, if the world has it. */
  spool(tag: string): SpoolState | undefined {
    return this.byTag.get(tag);
  }

  /** The worker id an `Ocupado_Por` value names (`MR(93)` → 93), or undefined (`WORKER17` names nobody). */
  ownerId(spool: SpoolState): number | undefined {
    return spool.ownerId;
  }

  private occupy(spool: SpoolState, by: string): void {
    spool.occupiedBy = by;
    const m = by === '' ? null : OWNER_ID.exec(by);
    spool.ownerId = m ? Number(m[1]) : undefined;
    this.reindex(spool);
  }

  /** IDs of the unions FINALIZAR would accept now for an operation, in N_UNION order. */
  availableUnions(spool: SpoolState, operacion: 'ARM' | 'SOLD'): string[] {
    const out: string[] = [];
    for (const u of spool.unions) {
      if (operacion === 'ARM' ? !u.armDone : u.armDone && !u.soldDone && u.soldRequired) out.push(u.id);
    }
    return out;
  }

  private reindex(s: SpoolState): void {
    const free = s.occupiedBy === '' && s.hasMaterials;
    this.freeArm.set(s.index, free && !s.stress && s.armAvailable > 0);
    this.freeSold.set(s.index, free && s.soldAvailable > 0);
    this.freeStress.set(s.index, free && s.stress && s.armAvailable > 0);
    this.freeAny.set(s.index, free);
    this.occupied.set(s.index, s.occupiedBy !== '');
  }

  private activeWorker(id: number): WorldWorker | undefined {
    const w = this.workers.get(id);
    return w && w.active ? w : undefined;
  }

  /** POST /api/v4/occupation/iniciar: checks in the contract's order, then occupies the spool. */
  iniciar(body: unknown): Outcome {
    if (!isRecord(body) || !isNonEmptyString(body.tag_spool) || !isPositiveInt(body.worker_id)
      || !isNonEmptyString(body.worker_nombre) || !INICIAR_OPS.includes(body.operacion as string)) {
      return { status: 422 };
    }
    const spool = this.byTag.get(body.tag_spool);
    if (!spool) return { status: 404 };
    if (!this.activeWorker(body.worker_id)) return { status: 404 };
    if (body.operacion !== 'ARM' && body.operacion !== 'SOLD') return { status: 400 };
    if (!spool.hasMaterials) return { status: 400 };
    if (spool.occupiedBy !== '') return { status: 409 };
    if (body.operacion === 'SOLD' && spool.armDoneCount === 0) return { status: 403 };
    this.occupy(spool, body.worker_nombre);
    return { status: 200 };
  }

  /** POST /api/v4/occupation/finalizar: ownership, then CANCELADO, 409 or PAUSAR/COMPLETAR. */
  finalizar(body: unknown): Outcome {
    if (!isRecord(body) || !isNonEmptyString(body.tag_spool) || !isPositiveInt(body.worker_id) || !isNonEmptyString(body.operacion)) {
      return { status: 422 };
    }
    const selectedRaw = body.selected_unions === undefined ? [] : body.selected_unions;
    if (!Array.isArray(selectedRaw) || !selectedRaw.every((x) => typeof x === 'string')) return { status: 422 };
    const spool = this.byTag.get(body.tag_spool);
    if (!spool) return { status: 404 };
    if (!this.activeWorker(body.worker_id)) return { status: 404 };
    const op = body.operacion;
    if (op !== 'ARM' && op !== 'SOLD') return { status: 400 };
    const owner = spool.ownerId;
    // Ownership is proven only by a token ending in the caller's `(ID)`; a free spool or a token without one → 403.
    if (owner !== body.worker_id) return { status: 403 };
    const selected = selectedRaw as string[];
    if (selected.length === 0) {
      this.occupy(spool, '');
      return { status: 200, action_taken: 'CANCELADO' };
    }
    const picked: UnionState[] = [];
    for (const id of selected) {
      const u = unionById(spool, id);
      const available = u !== undefined && (op === 'ARM' ? !u.armDone : u.armDone && !u.soldDone && u.soldRequired);
      if (!available) return { status: 409 };
      picked.push(u);
    }
    // A repeated id counts once: every picked union was available, so a repeat is one its first mention just did.
    for (const u of picked) {
      if (op === 'ARM' ? u.armDone : u.soldDone) continue;
      if (op === 'ARM') {
        u.armDone = true;
        spool.armAvailable -= 1;
        spool.armDoneCount += 1;
        if (u.soldRequired) spool.soldAvailable += 1;
      } else {
        u.soldDone = true;
        spool.soldAvailable -= 1;
      }
    }
    const complete = op === 'ARM'
      ? spool.armAvailable === 0
      : spool.unions.every((u) => !u.soldRequired || u.soldDone);
    this.occupy(spool, '');
    return { status: 200, action_taken: complete ? 'COMPLETAR' : 'PAUSAR' };
  }

  /** GET /api/v4/uniones/{tag}/disponibles?operacion=… */
  disponibles(tag: string, operacion: string | undefined): Outcome {
    if (operacion !== 'ARM' && operacion !== 'SOLD') return { status: 422 };
    return { status: this.byTag.has(tag) ? 200 : 404 };
  }

  /** GET /api/v4/uniones/{tag}/metricas */
  metricas(tag: string): Outcome {
    const spool = this.byTag.get(tag);
    return { status: spool && spool.unions.length > 0 ? 200 : 404 };
  }
}

// Union IDs are `TAG+N` with N = 1..n, so the union is found without a map per spool.
function unionById(spool: SpoolState, id: string): UnionState | undefined {
  const prefix = spool.tag.length + 1;
  if (id.length <= prefix || !id.startsWith(spool.tag) || id[spool.tag.length] !== '+') return undefined;
  // N is written without leading zeros; more than 9 digits is beyond any spool's unions.
  const digits = id.length - prefix;
  if (digits > 9) return undefined;
  let n = 0;
  for (let i = prefix; i < id.length; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || (d === 0 && i === prefix)) return undefined;
    n = n * 10 + d;
  }
  return spool.unions[n - 1];
}

function toState(s: WorldSpool): SpoolState {
  const unions = s.unions.map((u) => ({ id: u.id, dn: u.dn, soldRequired: u.soldRequired, armDone: u.armDone, soldDone: u.soldDone }));
  return {
    index: s.index, tag: s.tag, stress: s.stress, hasMaterials: s.hasMaterials, unions,
    armAvailable: unions.filter((u) => !u.armDone).length,
    soldAvailable: unions.filter((u) => u.armDone && !u.soldDone && u.soldRequired).length,
    armDoneCount: unions.filter((u) => u.armDone).length,
    occupiedBy: '',
    ownerId: undefined,
  };
}
