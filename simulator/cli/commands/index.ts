import type { Command } from '../command.ts';
import { adapterCommand } from './adapter.ts';
import { backendCommand } from './backend.ts';
import { capacityCommand } from './capacity.ts';
import { compareCommand } from './compare.ts';
import { credentialsCommand } from './credentials.ts';
import { mockSheetsCommand } from './mock-sheets.ts';
import { diffCommand } from './diff.ts';
import { embeddedTargetCommand } from './embedded-target.ts';
import { generateCommand } from './generate.ts';
import { importCommand } from './import.ts';
import { inspectCommand } from './inspect.ts';
import { mergeCommand } from './merge.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';

/** Every `sheetsim` sub-command, in the order `--help` lists them. Each lives in its own file. */
export const commands: Command[] = [runCommand, generateCommand, importCommand, inspectCommand, reportCommand, diffCommand, compareCommand, capacityCommand, mergeCommand, mockSheetsCommand, credentialsCommand, adapterCommand, backendCommand, embeddedTargetCommand];
