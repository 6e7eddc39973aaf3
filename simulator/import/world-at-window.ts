/**
 * The world an imported trace needs: the spools and unions the window's requests touch, in the state they had
 * when the window opened (unions done before it, spools held at its start), and the workers that act or hold.
 */
import type { SnapshotSpool, WorldSnapshot } from '../trace/types.ts';
import type { Action, UnmappedLog } from './actions.ts';

/** What the rows say about one union: its size, and whether ARM / SOLD finished before or inside the window. */
interface UnionFacts {
  id: string;
  dn: number | null;
  armBefore: boolean;
  soldBefore: boolean;
  armIn: boolean;
  soldIn: boolean;
}

/** Who holds a spool: the Ocupado_Por token and the worker's id. */
type Holder = { token: string; workerId: number };

/** The rebuilt world, the spools held at trace time 0, and the workers that send the window's requests (sorted). */
export interface WindowWorld {
  snapshot: WorldSnapshot;
  held: Map<string, Holder>;
  workerIds: number[];
}

const unionNumber = (id: string): number | null => {
  const m = /\+(\d+)$/.exec(id);
  return m ? Number(m[1]) : null;
};

/** Build the world the window's requests (`inside`) need; rows `before` it only set the starting state. */
export function worldAtWindow(before: readonly Action[], inside: readonly Action[], log: UnmappedLog): WindowWorld {
  const { spoolOrder, unionsBySpool, occupiedAtStart } = unionFactsOf(before, inside);
  const { tokenOf, surnameOf } = namesOf([...before, ...inside]);
  const held = heldAtStart(occupiedAtStart, inside, tokenOf, log);
  const workerIds = [...new Set(inside.map((a) => a.workerId))].sort((x, y) => x - y);
  const payrollIds = [...new Set([...workerIds, ...[...held.values()].map((h) => h.workerId)])].sort((x, y) => x - y);
  const snapshot: WorldSnapshot = {
    spools: spoolOrder.map((tag) => spoolState(tag, unionsBySpool.get(tag)!, held)),
    workers: payrollIds.map((id) => {
      const token = tokenOf.get(id) ?? '';
      const m = /^(\p{Lu})(\p{Lu})\(\d+\)$/u.exec(token);
      const surname = surnameOf.get(id);
      return { id, nombre: m?.[1] ?? 'X', apellido: surname ?? m?.[2] ?? 'X' };
    }),
  };
  return { snapshot, held, workerIds };
}

/** The spools the window touches (in first-touch order), their unions' facts, and who held them when it opened. */
function unionFactsOf(before: readonly Action[], inside: readonly Action[]) {
  const spoolOrder: string[] = [];
  const unionsBySpool = new Map<string, Map<string, UnionFacts>>();
  const touch = (tag: string) => {
    if (!unionsBySpool.has(tag)) {
      unionsBySpool.set(tag, new Map());
      spoolOrder.push(tag);
    }
    return unionsBySpool.get(tag)!;
  };
  for (const a of inside) touch(a.tag);
  const occupiedAtStart = new Map<string, Holder>();
  const record = (a: Action, inWindow: boolean) => {
    const unions = unionsBySpool.get(a.tag);
    if (!unions) return;
    if (a.kind === 'iniciar') {
      if (!inWindow) occupiedAtStart.set(a.tag, { token: a.nombre, workerId: a.workerId });
      return;
    }
    if (!inWindow) occupiedAtStart.delete(a.tag);
    const dn = a.pulgadas !== null && a.unions.length > 0 ? Math.round((a.pulgadas / a.unions.length) * 100) / 100 : null;
    for (const id of a.unions) {
      let u = unions.get(id);
      if (!u) unions.set(id, (u = { id, dn: null, armBefore: false, soldBefore: false, armIn: false, soldIn: false }));
      if (u.dn === null && dn !== null && dn > 0) u.dn = dn;
      if (a.kind !== 'finalizar') continue;
      if (a.operacion === 'SOLD') {
        if (inWindow) u.soldIn = true;
        else u.soldBefore = true;
      } else if (inWindow) u.armIn = true;
      else u.armBefore = true;
    }
  };
  for (const a of before) record(a, false);
  for (const a of inside) record(a, true);
  return { spoolOrder, unionsBySpool, occupiedAtStart };
}

/** Each worker's Ocupado_Por token (from its first INICIAR) and surname (from a FINALIZAR's `Apellido(ID)`). */
function namesOf(actions: readonly Action[]) {
  const tokenOf = new Map<number, string>();
  for (const a of actions) if (a.kind === 'iniciar' && !tokenOf.has(a.workerId)) tokenOf.set(a.workerId, a.nombre);
  const surnameOf = new Map<number, string>();
  for (const a of actions) {
    const m = /^(.*\S)\((\d+)\)$/.exec(a.nombre);
    if (a.kind !== 'iniciar' && m && Number(m[2]) === a.workerId && !/^\p{Lu}{1,3}$/u.test(m[1]!) && !surnameOf.has(a.workerId)) surnameOf.set(a.workerId, m[1]!);
  }
  return { tokenOf, surnameOf };
}

// A FINALIZAR whose spool nobody holds (its INICIAR is missing from the export or before an open window): the
// spool starts held by that worker, as production must have had it.
function heldAtStart(occupiedAtStart: Map<string, Holder>, inside: readonly Action[], tokenOf: Map<number, string>, log: UnmappedLog): Map<string, Holder> {
  const held = new Map(occupiedAtStart);
  const firstSeen = new Set<string>();
  for (const a of inside) {
    if (firstSeen.has(a.tag)) continue;
    firstSeen.add(a.tag);
    if (a.kind !== 'iniciar' && !held.has(a.tag)) {
      held.set(a.tag, { token: tokenOf.get(a.workerId) ?? `W(${a.workerId})`, workerId: a.workerId });
      log.add('FINALIZAR without an INICIAR before it: the spool starts held by its worker', a.line);
    }
  }
  return held;
}

/** One spool of the snapshot: its unions numbered 1..N (gaps filled as done) and who holds it. */
function spoolState(tag: string, facts: Map<string, UnionFacts>, held: Map<string, Holder>): SnapshotSpool {
  const numbered = new Map<number, UnionFacts>();
  const unnumbered: UnionFacts[] = [];
  for (const u of facts.values()) {
    const n = unionNumber(u.id);
    if (n === null || numbered.has(n)) unnumbered.push(u);
    else numbered.set(n, u);
  }
  const maxN = numbered.size > 0 ? Math.max(...numbered.keys()) : unnumbered.length > 0 ? 0 : 1;
  const sample = [...facts.values()][0]?.id;
  const prefix = sample && sample.includes('+') ? sample.slice(0, sample.lastIndexOf('+') + 1) : `${tag}+`;
  const state = (n: number, u: UnionFacts) => ({
    n, id: u.id, dn: u.dn ?? 1, tipo: 'BW',
    // Done before the window, or never done inside it (SOLD needs ARM done; a union never finished here stays as it was).
    arm: u.armBefore || !u.armIn,
    sold: u.soldBefore || (!u.soldIn && !u.armIn),
  });
  const unions = [];
  for (let n = 1; n <= maxN; n++) {
    const u = numbered.get(n);
    // A union the export never mentions is taken as done: it changes no request, only PAUSAR vs COMPLETAR.
    unions.push(u ? state(n, u) : { n, id: `${prefix}${n}`, dn: 1, tipo: 'BW', arm: true, sold: true });
  }
  for (const u of unnumbered) unions.push(state(unions.length + 1, u));
  return { tag, unions, occupiedBy: held.get(tag)?.token ?? '' };
}
