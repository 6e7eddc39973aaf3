/** Scenario labels (the contract with the replayer and the reports) and the original suite's choice weights. */

/** What a virtual worker decides to do next; weights 3:2:1:1:1:1 as in the original locustfile (spec §6.1). */
export const CHOICES = ['finalizar_arm_10', 'finalizar_sold_5', 'finalizar_arm_50', 'iniciar', 'disponibles_arm', 'metricas'] as const;
export type Choice = (typeof CHOICES)[number];
export const CHOICE_WEIGHTS: readonly number[] = [3, 2, 1, 1, 1, 1];

/** Every label an event can carry: the choices plus the zero-union FINALIZAR that ends a standalone INICIAR. */
export const SCENARIOS = [...CHOICES, 'finalizar_cancel'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** What the generator did besides writing events: drawn, realised and unfinished choices, re-draws, conflicts. */
export interface GeneratorStats {
  /** Choices drawn by weight, before any re-draw. */
  drawn: Record<Choice, number>;
  /**
   * Choices carried out (after re-draws) whose last request is in the trace: counted at the FINALIZAR that ends a
   * finalizar_* or standalone iniciar choice, so they agree with what `inspect` reconstructs from the file.
   */
  realised: Record<Choice, number>;
  /** Choices whose INICIAR is in the trace but whose FINALIZAR would come after the trace's end. */
  unfinished: Record<Choice, number>;
  /** Choices that found no spool to work on and were drawn again, by the choice that failed. */
  redraws: Record<Choice, number>;
  /** Deliberately wrong requests, by expected status. */
  conflicts: Record<string, number>;
  /** First trace time (ms) at which a choice found no spool, by choice; absent = never. */
  firstRedrawMs: Partial<Record<Choice, number>>;
}

/** Zeroed stats. */
export function emptyStats(): GeneratorStats {
  const zero = () => Object.fromEntries(CHOICES.map((c) => [c, 0])) as Record<Choice, number>;
  return { drawn: zero(), realised: zero(), unfinished: zero(), redraws: zero(), conflicts: {}, firstRedrawMs: {} };
}
