import { type Command, type CommandContext, InputError, UsageError, formatHelp, parseCommandArgs } from './command.ts';
import { commands } from './commands/index.ts';
import { SHEETSIM_VERSION } from '../version.ts';

export { SHEETSIM_VERSION };

function topHelp(list: Command[]): string {
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
    'Exit codes: 0 ok, 1 a gate, check or diff failed, 2 bad usage or bad input.',
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

/** Run the CLI with argv (without `node sheetsim`) and return the exit code. */
export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    stdout.write(topHelp(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    stdout.write(`${SHEETSIM_VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    stderr.write(`sheetsim: unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  let controller: AbortController | undefined;
  let onSignal: (() => void) | undefined;
  try {
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
    if (err instanceof UsageError || err instanceof InputError) {
      stderr.write(`sheetsim ${command.name}: ${err.message}\n`);
      return 2;
    }
    stderr.write(`sheetsim ${command.name}: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    if (onSignal) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
