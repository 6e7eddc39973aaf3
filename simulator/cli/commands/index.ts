import type { Command } from '../command.ts';

/** Every `sheetsim` sub-command, in the order `--help` lists them. Each lives in its own file. */
export const commands: Command[] = [];
