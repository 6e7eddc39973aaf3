/** `sheetsim backend`: serve the reference spool-tracking backend against a Sheets endpoint. */
import { BACKEND_PROFILES, buildBackend } from '../../../backend/app.ts';
import type { BackendProfile } from '../../../backend/app.ts';
import { type Command, UsageError, boolOpt, enumOpt, intOpt, numberOpt, stringOpt } from '../command.ts';

function required(value: string | undefined, flag: string, env: string): string {
  if (!value) throw new UsageError(`--${flag} is required (or set ${env})`);
  return value;
}

export const backendCommand: Command = {
  name: 'backend',
  summary: 'Serve the reference spool-tracking backend (the ZEUES v4 contract) over a Sheets API endpoint.',
  usage: '[options]',
  description: `
Every flag defaults to the environment variable a deployed backend reads, so 'sheetsim run --target-cmd'
can start it with env vars only. Profiles: 'lean' (default) makes at most 2 Sheets calls per write and none
for warm reads, and backs off on 429/503; 'zeues' reproduces the real backend's call pattern (spec §5.3).
With --sim-clock the time comes from each request's x-sheetsim-time header (epoch ms) and uuids are seeded,
so an exact replay gives identical writes. It needs one credential (--credentials, --api-key or --token, or their
variables) and refuses to start without one. See docs/backend.md.`,
  options: {
    port: { type: 'string', valueName: 'N', description: 'Port to listen on (0 = any free port).', defaultText: '$PORT or 8000' },
    host: { type: 'string', valueName: 'HOST', description: 'Interface to bind.', defaultText: '127.0.0.1' },
    'sheets-url': { type: 'string', valueName: 'URL', description: 'Sheets API root, e.g. the mock http://127.0.0.1:8090/.', defaultText: '$SHEETS_API_URL' },
    'spreadsheet-id': { type: 'string', valueName: 'ID', description: 'Spreadsheet id.', defaultText: '$SPREADSHEET_ID' },
    profile: { type: 'string', valueName: 'lean|zeues', description: 'Sheets call profile.', defaultText: '$BACKEND_PROFILE or lean' },
    'sim-clock': { type: 'boolean', description: 'Take time from the x-sheetsim-time header; seed uuids; skip backoff sleeps.', defaultText: 'on when SHEETSIM_SIM_CLOCK=1, else off' },
    seed: { type: 'string', valueName: 'N', description: 'Seed of uuids (sim clock) and backoff jitter.', defaultText: '42' },
    speed: { type: 'string', valueName: 'N', description: "Time scale of a sped-up replay: the backend's clock, backoff and cache TTLs run N× faster.", defaultText: '$SHEETSIM_SPEED or 1' },
    token: { type: 'string', valueName: 'T', description: 'OAuth bearer token for the Sheets API.' },
    'api-key': { type: 'string', valueName: 'K', description: 'API key sent as ?key=.', defaultText: '$SHEETS_API_KEY' },
    credentials: { type: 'string', valueName: 'FILE', description: 'Service-account JSON; its token_uri gets a JWT-bearer grant.', defaultText: '$GOOGLE_APPLICATION_CREDENTIALS' },
  },
  examples: [
    'sheetsim mock-sheets --port 8090 &    # the mock accepts any API key or bearer token',
    'sheetsim backend --sheets-url http://127.0.0.1:8090/ --spreadsheet-id zeues-seed-42 --api-key sheetsim',
    'sheetsim credentials --url http://127.0.0.1:8090 --out creds.json && sheetsim backend --profile zeues --credentials creds.json --sheets-url http://127.0.0.1:8090/ --spreadsheet-id zeues-seed-42',
    'PORT=0 SHEETS_API_URL=http://127.0.0.1:8090/ SPREADSHEET_ID=zeues-seed-42 SHEETS_API_KEY=sheetsim sheetsim backend --sim-clock',
    'curl -s http://127.0.0.1:8000/api/health',
  ],
  async run(ctx) {
    const env = ctx.env;
    const envPort = env.PORT && /^\d+$/.test(env.PORT) ? Number(env.PORT) : 8000;
    const port = intOpt(ctx, 'port', envPort, 0, 65535);
    const host = stringOpt(ctx, 'host', '127.0.0.1');
    const envProfile = env.BACKEND_PROFILE;
    if (envProfile !== undefined && !BACKEND_PROFILES.includes(envProfile as BackendProfile) && ctx.values.profile === undefined) {
      throw new UsageError(`BACKEND_PROFILE must be one of ${BACKEND_PROFILES.join(', ')}, got '${envProfile}'`);
    }
    const profile = enumOpt(ctx, 'profile', BACKEND_PROFILES, (envProfile as BackendProfile | undefined) ?? 'lean');
    const sheetsUrl = required(stringOpt(ctx, 'sheets-url') ?? env.SHEETS_API_URL, 'sheets-url', 'SHEETS_API_URL');
    try {
      new URL(sheetsUrl);
    } catch {
      throw new UsageError(`--sheets-url expects a URL such as http://127.0.0.1:8090/, got '${sheetsUrl}'`);
    }
    const spreadsheetId = required(stringOpt(ctx, 'spreadsheet-id') ?? env.SPREADSHEET_ID, 'spreadsheet-id', 'SPREADSHEET_ID');
    const seed = intOpt(ctx, 'seed', 42, 0);
    const envSpeed = env.SHEETSIM_SPEED !== undefined && Number(env.SHEETSIM_SPEED) > 0 ? Number(env.SHEETSIM_SPEED) : 1;
    const speed = numberOpt(ctx, 'speed', envSpeed, 0.001, 1000);
    const credentialsFile = stringOpt(ctx, 'credentials') ?? env.GOOGLE_APPLICATION_CREDENTIALS;
    const apiKey = stringOpt(ctx, 'api-key') ?? env.SHEETS_API_KEY;
    const token = stringOpt(ctx, 'token');
    // Without one, every Sheets call would be answered 401 and every request 500: refuse to start instead.
    if (!credentialsFile && !apiKey && !token) {
      throw new UsageError(
        'no Sheets credential: pass --credentials FILE (or set GOOGLE_APPLICATION_CREDENTIALS), --api-key K (or set SHEETS_API_KEY) or --token T',
      );
    }

    // `sheetsim run --mode exact --target-cmd` asks its child for the sim clock through the environment.
    const simClock = boolOpt(ctx, 'sim-clock', ctx.env.SHEETSIM_SIM_CLOCK === '1');
    let app;
    try {
      app = await buildBackend({
        sheetsUrl,
        spreadsheetId,
        profile,
        simClock,
        seed,
        speed,
        ...(token ? { token } : {}),
        ...(apiKey ? { apiKey } : {}),
        ...(credentialsFile ? { credentialsFile } : {}),
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const address = await app.listen({ port, host });
    const url = new URL(address);
    ctx.stdout.write(`listening: http://${host}:${url.port}\n`);
    ctx.stdout.write(`profile ${profile}, sheets ${sheetsUrl}, spreadsheet ${spreadsheetId}${simClock ? ', sim clock' : ''}\n`);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await app.close();
    ctx.stdout.write('backend closed\n');
    return 0;
  },
};
