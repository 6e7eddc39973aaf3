/**
 * `sheetsim __embedded-target SETTINGS_JSON` (hidden): the embedded target's own process. Starts the mock Sheets
 * API and the reference backend from the run's settings (simulator/replay/embedded-servers.ts), prints their
 * URLs as one JSON line on stdout, and serves until the parent goes away (its end of our stdin closes, which
 * also happens when the parent is killed with -9).
 */
import { type Command, InputError, UsageError } from '../command.ts';
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
  usage: 'SETTINGS_JSON',
  options: {},
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('expects one argument: the settings as JSON');
    const servers = await startEmbeddedServers(parseSettings(ctx.positionals[0]!));
    ctx.stdout.write(`${JSON.stringify({ url: servers.url, sheetsUrl: servers.sheetsUrl, spreadsheetId: servers.spreadsheetId, auditSpreadsheetId: servers.auditSpreadsheetId })}\n`);
    await new Promise<void>((resolve) => {
      process.stdin.once('end', resolve);
      process.stdin.once('close', resolve);
      process.stdin.once('error', () => resolve());
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      process.stdin.resume();
    });
    await servers.close().catch(() => undefined);
    // Keep-alive sockets of the backend's Sheets client would hold the process open; the parent is gone.
    setTimeout(() => process.exit(0), 200).unref();
    return 0;
  },
};
