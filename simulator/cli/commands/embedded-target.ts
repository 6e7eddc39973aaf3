/**
 * `sheetsim __embedded-target` (hidden): the embedded target's own process. Reads the run's settings as one JSON
 * line on stdin (not an argument: an imported trace's world can be far larger than the 128 KB Linux allows one
 * argument), starts the mock Sheets API and the reference backend from them (simulator/replay/embedded-servers.ts),
 * prints their URLs as one JSON line on stdout, and serves until the parent goes away (its end of our stdin
 * closes, which also happens when the parent is killed with -9).
 */
import { type Command, InputError, UsageError } from '../command.ts';
import { type FromChild, type ToChild, readLines, serveExact, warmUpInside } from '../../replay/embedded-exact.ts';
import { type EmbeddedSettings, startEmbeddedServers } from '../../replay/embedded-servers.ts';

function parseSettings(text: string): EmbeddedSettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`settings are not valid JSON: ${(err as Error).message}`);
  }
  const s = json as Partial<EmbeddedSettings>;
  if (!s || typeof s !== 'object' || !s.world || (s.mode !== 'realtime' && s.mode !== 'exact') || typeof s.speed !== 'number' || typeof s.epochMs !== 'number') {
    throw new InputError('settings must be an object with world, mode, speed, epochMs, latency, quota and backendProfile');
  }
  return s as EmbeddedSettings;
}

export const embeddedTargetCommand: Command = {
  name: '__embedded-target',
  hidden: true,
  summary: 'Internal: the embedded mock + reference backend of a run, in their own process.',
  usage: '< SETTINGS_JSON_LINE',
  options: {},
  async run(ctx) {
    if (ctx.positionals.length !== 0) throw new UsageError('expects no argument: the settings come as one JSON line on stdin');
    let gone!: () => void;
    const parentGone = new Promise<void>((resolve) => (gone = resolve));
    // Every line after the settings line is a message of exact mode's protocol (replay/embedded-exact.ts).
    let onMessage: ((line: string) => void) | null = null;
    // null: stdin closed before a single byte, the CLI started us ahead (embedded-prespawn.ts) and did not need us.
    const firstLine = new Promise<string | null>((resolve, reject) => {
      let read = false;
      const stdin = readLines(process.stdin, (line) => {
        if (!read) {
          read = true;
          resolve(line);
        } else onMessage?.(line);
      });
      const end = () => {
        if (!read && !stdin.pending()) resolve(null);
        else if (!read) reject(new InputError('stdin closed before the settings line'));
        gone();
      };
      process.stdin.once('end', end);
      process.stdin.once('close', end);
      process.stdin.once('error', end);
      ctx.signal.addEventListener('abort', () => gone(), { once: true });
    });
    const line = await firstLine;
    if (line === null) return 0;
    const settings = parseSettings(line);
    const servers = await startEmbeddedServers(settings);
    const { backend, mock } = servers.apps;
    const warmup = settings.warmupTimeoutMs !== undefined && backend ? await warmUpInside({ backend, mock, sheetsUrl: servers.sheetsUrl }, settings.epochMs, settings.warmupTimeoutMs) : null;
    const send = (m: FromChild): void => void ctx.stdout.write(`${JSON.stringify(m)}\n`);
    let exact: ((m: ToChild) => void) | null = null;
    onMessage = (text) => {
      const m = JSON.parse(text) as ToChild;
      if ('start' in m) {
        if (!backend) return send({ failed: 'exact mode in the embedded target needs its backend' });
        exact = serveExact({ backend, mock, sheetsUrl: servers.sheetsUrl }, m.start, send);
      } else exact?.(m);
    };
    ctx.stdout.write(`${JSON.stringify({ url: servers.url, sheetsUrl: servers.sheetsUrl, spreadsheetId: servers.spreadsheetId, auditSpreadsheetId: servers.auditSpreadsheetId, warmup })}\n`);
    await parentGone;
    await servers.close().catch(() => undefined);
    // Keep-alive sockets of the backend's Sheets client would hold the process open; the parent is gone.
    setTimeout(() => process.exit(0), 200).unref();
    return 0;
  },
};
