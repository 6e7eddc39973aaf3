import { type CommandContext, formatHelp, parseCommandArgs } from './command.ts';
import { type CommandEntry, commands } from './commands/index.ts';
import { describeFailure } from './failure.ts';
import { SHEETSIM_VERSION } from '../version.ts';

export { SHEETSIM_VERSION };

function topHelp(all: CommandEntry[]): string {
  const list = all.filter((c) => !c.hidden);
  const width = Math.max(...list.map((c) => c.name.length)) + 2;
  return [
    'Usage: sheetsim <command> [options]',
    '',
    'Load-test, reproduce and compare a backend that keeps its data in Google Sheets, offline.',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'sheetsim <command> --help' for a command's options.",
    'Exit codes: 0 ok, 1 a gate, check or diff failed, 2 bad usage, bad input or an unusable environment.',
    'Global option: --debug (anywhere) prints the stack trace of an error.',
    '',
  ].join('\n');
}

export interface MainIO {
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
}

/**
 * `--debug` may stand anywhere before a `--` terminator; it is removed before the command parses its flags.
 * SHEETSIM_DEBUG=1 does the same for child processes and CI logs.
 */
function takeDebugFlag(argv: string[], env: NodeJS.ProcessEnv): { argv: string[]; debug: boolean } {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  const tail = end === -1 ? [] : argv.slice(end);
  const kept = head.filter((a) => a !== '--debug');
  return { argv: [...kept, ...tail], debug: kept.length !== head.length || env.SHEETSIM_DEBUG === '1' };
}

/** Run the CLI with argv (without `node sheetsim`) and return the exit code. */
export async function main(rawArgv: string[], io: MainIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const { argv, debug } = takeDebugFlag(rawArgv, io.env ?? process.env);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    stdout.write(topHelp(commands.filter((c) => !c.hidden)));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    stdout.write(`${SHEETSIM_VERSION}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    stderr.write(`sheetsim: unknown command '${name}'. Commands: ${commands.filter((c) => !c.hidden).map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  let controller: AbortController | undefined;
  let onSignal: (() => void) | undefined;
  try {
    const command = await entry.load();
    const { values, positionals, help } = parseCommandArgs(command, rest);
    if (help) {
      stdout.write(formatHelp(command));
      return 0;
    }
    let signal = io.signal;
    if (!signal) {
      controller = new AbortController();
      signal = controller.signal;
      let count = 0;
      onSignal = () => {
        count += 1;
        if (count > 1) process.exit(130);
        controller!.abort(new Error('interrupted'));
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    const ctx: CommandContext = {
      values,
      positionals,
      stdout: stdout as CommandContext['stdout'],
      stderr: stderr as CommandContext['stderr'],
      env: io.env ?? process.env,
      cwd: io.cwd ?? process.cwd(),
      signal,
      isTTY: Boolean((stdout as { isTTY?: boolean }).isTTY),
    };
    return await command.run(ctx);
  } catch (err) {
    const failure = describeFailure(err);
    stderr.write(`sheetsim ${entry.name}: ${failure.message}\n`);
    if (debug) stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    return failure.exitCode;
  } finally {
    if (onSignal) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
