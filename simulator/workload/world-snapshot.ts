/**
 * An explicit world (the `world.snapshot` of an imported trace): the spools, unions and workers a production
 * Metadata export touched, in the state they had before the trace's window, built into the same `World` (and
 * workbook) that `generateWorld` makes from a seed, so the mock, the backend and the model need nothing new.
 */
import type { CellInput } from '../../mock-sheets/workbook.ts';
import type { WorldParams, WorldSnapshot } from '../trace/types.ts';
import { parseIsoDate } from './calendar.ts';
import { OPERACIONES_HEADER, SOLD_REQUIRED_TYPES, columnIndex } from './layout.ts';
import { seededRandom } from './random.ts';
import { type SpoolStartState, type World, type WorldSpool, type WorldWorker, STRESS_UNIONS, buildAuditWorkbook, buildWorkbook } from './world.ts';

/** `INICIALES(ID)`, as the world and the reference backend derive it from a worker's names. */
export function initialsToken(id: number, nombre: string, apellido: string): string {
  const first = (s: string) => (s.trim().split(/\s+/)[0] ?? '').charAt(0).toUpperCase();
  return `${first(nombre)}${first(apellido)}(${id})`;
}

// The OT an imported spool's unions are found by: the tag's number for `OT-nnn` tags, otherwise a made-up unique one.

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
