/**
 * The world's parameters without the world: defaults, bounds and their check. Split from world.ts so that what
 * prints the defaults (`sheetsim generate --help`) does not load the generator.
 */
import type { WorldParams } from '../trace/types.ts';
import { parseIsoDate } from './calendar.ts';

/** Defaults for the world a trace runs against. */
// 2000 spools is production scale (spec §7: ≈ 1,870); 100 ran out of work within 3 minutes of the default trace.
export const DEFAULT_WORLD_PARAMS: WorldParams = { seed: 42, spools: 2000, workers: 100, startDate: '2026-03-02' };

/** Upper bounds that keep a world a Sheets grid can hold (Operaciones ≤ 3-digit tags beyond 999 still work). */
export const MAX_SPOOLS = 99_999;
export const MAX_PAYROLL = 99_999;

/** Check world parameters, naming the field and what was expected. */
export function validateWorldParams(params: WorldParams): void {
  const intIn = (name: keyof WorldParams, min: number, max: number) => {
    const v = params[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new Error(`world.${name} must be a whole number between ${min} and ${max}, got ${JSON.stringify(v)}`);
    }
  };
  intIn('seed', 0, Number.MAX_SAFE_INTEGER);
  intIn('spools', 1, MAX_SPOOLS);
  intIn('workers', 1, MAX_PAYROLL);
  parseIsoDate(params.startDate, 'world.startDate');
}
