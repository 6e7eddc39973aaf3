import type { Command } from '../command.ts';

/**
 * A `sheetsim` sub-command as the top-level help lists it, and how to load it. Each command's module (and
 * everything it needs: fastify, undici, SQLite...) is imported only when that command runs, so `sheetsim --help`
 * and `sheetsim generate` do not pay for the mock server or the replayer. `summary` repeats the command's own
 * (test/cli/commands.test.ts keeps them equal) because the top-level help must not load any command.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  /** Runs but is not listed by `sheetsim --help` (commands sheetsim itself spawns). */
  hidden?: boolean;
  load(): Promise<Command>;
}

/** Every `sheetsim` sub-command, in the order `--help` lists them. Each lives in its own file. */
export const commands: CommandEntry[] = [
  { name: 'run', summary: 'Replay a trace against a backend: a realtime load test or an exact reproduction, with a report.', load: async () => (await import('./run.ts')).runCommand },
  { name: 'generate', summary: 'Write a seeded trace of shop-floor traffic (byte-identical for the same seed and options).', load: async () => (await import('./generate.ts')).generateCommand },
  { name: 'import', summary: "Turn an export of a workbook's Metadata sheet (the audit log) into a trace that replays it.", load: async () => (await import('./import.ts')).importCommand },
  { name: 'inspect', summary: 'Validate a trace and explain it: mix, expected outcomes, requests per minute.', load: async () => (await import('./inspect.ts')).inspectCommand },
  { name: 'report', summary: 'Re-evaluate the PERF gates of a run folder and print its summary; --out writes a re-rendered copy.', load: async () => (await import('./report.ts')).reportCommand },
  { name: 'diff', summary: 'Compare two runs of the same trace (two commits or profiles of a backend) and say whether HEAD regressed.', load: async () => (await import('./diff.ts')).diffCommand },
  { name: 'compare', summary: 'Compare two commits of a backend in one command: check both out, run the same trace against each, diff.', load: async () => (await import('./compare.ts')).compareCommand },
  { name: 'capacity', summary: 'Find how many workers a backend carries within the gates (no 429, PERF-01/02, success >= 99%).', load: async () => (await import('./capacity.ts')).capacityCommand },
  { name: 'merge', summary: 'Combine the reports of the shards of one run (--shard i/n) into one report.', load: async () => (await import('./merge.ts')).mergeCommand },
  { name: 'mock-sheets', summary: 'Serve the seeded world over a mock Google Sheets API v4 (latency, quotas, faults, call log).', load: async () => (await import('./mock-sheets.ts')).mockSheetsCommand },
  { name: 'credentials', summary: "Write a fake service-account JSON whose token_uri is the mock's /token, for unchanged Google auth code.", load: async () => (await import('./credentials.ts')).credentialsCommand },
  { name: 'adapter', summary: 'Print the environment that sends an unchanged Python (gspread, FastAPI) backend to the mock.', load: async () => (await import('./adapter.ts')).adapterCommand },
  { name: 'backend', summary: 'Serve the reference spool-tracking backend (the ZEUES v4 contract) over a Sheets API endpoint.', load: async () => (await import('./backend.ts')).backendCommand },
  { name: '__embedded-target', hidden: true, summary: 'Internal: the embedded mock + reference backend of a run, in their own process.', load: async () => (await import('./embedded-target.ts')).embeddedTargetCommand },
];
