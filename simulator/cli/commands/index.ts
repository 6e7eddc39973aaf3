import type { Command } from '../command.ts';
import { backendCommand } from './backend.ts';
import { credentialsCommand } from './credentials.ts';
import { generateCommand } from './generate.ts';
import { inspectCommand } from './inspect.ts';
import { mockSheetsCommand } from './mock-sheets.ts';

/** Every `sheetsim` sub-command, in the order `--help` lists them. Each lives in its own file. */
export const commands: Command[] = [generateCommand, inspectCommand, mockSheetsCommand, credentialsCommand, backendCommand];
