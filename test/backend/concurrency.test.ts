import { afterEach, describe, expect, it } from 'vitest';
import { startPair } from './harness.ts';
import type { Pair } from './harness.ts';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

const WORKERS = 50;
const tagOf = (i: number) => `OT-${101 + i}`;
const workerOf = (i: number) => 10 + i;

async function metadataRows(p: Pair): Promise<string[][]> {
  return p.read("'Metadata'!A2:K");
}

describe.each(['lean', 'zeues'] as const)('%s profile, 50 concurrent workers', (profile) => {
  it('50 FINALIZARs on distinct spools: every union completed once, Metadata rows match', async () => {
    pair = await startPair({ backend: { profile } });
    const p = pair;
    const starts = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) => p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: tagOf(i), worker_id: workerOf(i), worker_nombre: `NA(${workerOf(i)})`, operacion: 'ARM' })),
    );
    expect(starts.map((r) => r.status)).toEqual(Array(WORKERS).fill(200));
    const ends = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) =>
        p.send('POST', '/api/v4/occupation/finalizar', { tag_spool: tagOf(i), worker_id: workerOf(i), operacion: 'ARM', selected_unions: [1, 2, 3].map((n) => `${tagOf(i)}+${n}`) }),
      ),
    );
    expect(ends.map((r) => r.body.action_taken)).toEqual(Array(WORKERS).fill('COMPLETAR'));

    const uniones = await p.read("'Uniones'!A2:L");
    for (let i = 0; i < WORKERS; i++) {
      const rows = uniones.filter((r) => r[3] === tagOf(i));
      expect(rows.map((r) => r[8])).toEqual(Array(3).fill(`NA(${workerOf(i)})`));
    }
    const ops = await p.read("'Operaciones'!G2:BO");
    expect(ops.filter((r) => r[0]!.startsWith('OT-1') && (r[60] ?? '') !== '')).toEqual([]);
    const meta = await metadataRows(p);
    expect(meta.filter((r) => r[2] === 'INICIAR_SPOOL')).toHaveLength(WORKERS);
    const unionRows = meta.filter((r) => r[2] === 'UNION_ARM_REGISTRADA' && (r[10] ?? '') !== '');
    expect(unionRows).toHaveLength(WORKERS * 3);
    expect(new Set(unionRows.map((r) => r[9])).size).toBe(WORKERS * 3);
    expect(meta).toHaveLength(WORKERS * 5);
  });

  it('50 workers race for one spool: one INICIAR wins, and its owner’s 50 parallel FINALIZARs complete each union once', async () => {
    pair = await startPair({ backend: { profile } });
    const p = pair;
    const tag = 'OT-007';
    const starts = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) => p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: tag, worker_id: workerOf(i), worker_nombre: `NA(${workerOf(i)})`, operacion: 'ARM' })),
    );
    const winners = starts.map((r, i) => (r.status === 200 ? workerOf(i) : null)).filter((w): w is number => w !== null);
    expect(winners).toHaveLength(1);
    expect(starts.filter((r) => r.status === 409)).toHaveLength(WORKERS - 1);
    const owner = winners[0]!;
    // Every request selects the same overlapping unions; only one may complete them.
    const ends = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) =>
        p.send('POST', '/api/v4/occupation/finalizar', { tag_spool: tag, worker_id: owner, operacion: 'ARM', selected_unions: [`${tag}+${(i % 5) + 1}`, `${tag}+${(i % 5) + 2}`] }),
      ),
    );
    expect(ends.filter((r) => r.status === 200)).toHaveLength(1);
    expect(ends.filter((r) => r.status === 403)).toHaveLength(WORKERS - 1);
    const meta = await metadataRows(p);
    const unionRows = meta.filter((r) => r[2] === 'UNION_ARM_REGISTRADA' && (r[10] ?? '') !== '');
    expect(unionRows).toHaveLength(2);
    const written = (await p.read("'Uniones'!A2:L")).filter((r) => r[3] === tag && (r[7] ?? '') !== '');
    expect(written).toHaveLength(2);
  });
});
