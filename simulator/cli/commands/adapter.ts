/** `sheetsim adapter python`: print the environment that points an unchanged Python backend at the mock. */
import { checkCredentialsInput } from '../../../mock-sheets/credentials.ts';
import { type Command, UsageError, boolOpt, stringOpt } from '../command.ts';
import { PYTHON_ADAPTER_DIR, pythonAdapterEnv } from '../../replay/python-adapter.ts';

/** POSIX shell single-quoting, so paths with spaces survive `eval`. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export const adapterCommand: Command = {
  name: 'adapter',
  summary: 'Print the environment that sends an unchanged Python (gspread, FastAPI) backend to the mock.',
  usage: 'python --url URL [options]',
  description: `
gspread has no base-URL setting. sheetsim ships a sitecustomize folder (${PYTHON_ADAPTER_DIR}): put it first
on PYTHONPATH and set SHEETSIM_SHEETS_URL, and Python loads it at start-up. It sends requests (gspread,
google-auth) for sheets.googleapis.com, oauth2.googleapis.com and www.googleapis.com to the mock, and
forwards each inbound request's traceparent and x-sheetsim-time (Starlette / FastAPI, sync or async
endpoints) on its Sheets calls, so the replayer attributes them per event. The backend's code is not changed.
With SHEETSIM_SHEETS_URL unset it does nothing. The key file's token_uri must point at the mock too
('sheetsim credentials'). Prints KEY=VALUE lines; --export prints shell 'export' lines for eval. An existing
PYTHONPATH in the environment is kept after the adapter.`,
  options: {
    url: { type: 'string', valueName: 'URL', description: "The mock's base URL, as printed by 'sheetsim mock-sheets' (required)" },
    export: { type: 'boolean', description: "Print 'export KEY=value' lines (quoted) for eval in a POSIX shell" },
  },
  examples: [
    'sheetsim adapter python --url http://127.0.0.1:8090',
    'eval "$(sheetsim adapter python --url http://127.0.0.1:8090 --export)" && python3 -m uvicorn app:app --port 8000',
  ],
  async run(ctx) {
    const [language, ...extra] = ctx.positionals;
    if (language === undefined) throw new UsageError("name the language, e.g. 'sheetsim adapter python --url http://127.0.0.1:8090'");
    if (language !== 'python') throw new UsageError(`no adapter for '${language}' (available: python)`);
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const url = stringOpt(ctx, 'url');
    if (url === undefined) throw new UsageError("--url is required: the mock's base URL, e.g. --url http://127.0.0.1:8090");
    try {
      checkCredentialsInput(url, 'adapter@sheetsim.local');
    } catch (err) {
      throw new UsageError(`--${(err as Error).message}`);
    }
    const env = pythonAdapterEnv(url, ctx.env.PYTHONPATH);
    const exported = boolOpt(ctx, 'export', false);
    for (const [name, value] of Object.entries(env)) ctx.stdout.write(exported ? `export ${name}=${shellQuote(value)}\n` : `${name}=${value}\n`);
    return 0;
  },
};
