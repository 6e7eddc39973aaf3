/** `sheetsim credentials`: write a fake service-account key file whose token_uri points at the mock. */
import { resolve } from 'node:path';
import { DEFAULT_SERVICE_ACCOUNT_EMAIL, checkCredentialsInput, writeFakeCredentials } from '../../../mock-sheets/credentials.ts';
import { type Command, InputError, UsageError, stringOpt } from '../command.ts';

export const credentialsCommand: Command = {
  name: 'credentials',
  summary: "Write a fake service-account JSON whose token_uri is the mock's /token, for unchanged Google auth code.",
  usage: '--url URL [options]',
  description: `
The file looks like a key downloaded from Google Cloud (type service_account, client_email, a real RSA
private_key so client libraries can sign, token_uri = <url>/token). The mock's token endpoint accepts the
signed grant without checking the signature and issues a token bound to the email, so the mock counts quota
per service account as Google does. Python google-auth (gspread) uses token_uri from the file. Node
google-auth-library 10 ignores token_uri: either request no scopes (it then sends a self-signed JWT, which the
mock accepts as a bearer token) or give its transporter an interceptor that sends
https://oauth2.googleapis.com/token to <url>/token. The file is written atomically (temp file + rename), mode 0600.`,
  options: {
    url: { type: 'string', valueName: 'URL', description: "The mock's base URL, as printed by 'sheetsim mock-sheets' (required)" },
    email: { type: 'string', valueName: 'EMAIL', description: 'Service account email (the quota user)', defaultText: DEFAULT_SERVICE_ACCOUNT_EMAIL },
    out: { type: 'string', short: 'o', valueName: 'FILE', description: 'Where to write the key file', defaultText: 'sheetsim-service-account.json' },
  },
  examples: [
    'sheetsim credentials --url http://127.0.0.1:8090',
    'sheetsim credentials --url http://127.0.0.1:8090 --email backend@zeues.iam.gserviceaccount.com --out sa.json',
  ],
  async run(ctx) {
    const url = stringOpt(ctx, 'url');
    if (url === undefined) throw new UsageError("--url is required: the mock's base URL, e.g. --url http://127.0.0.1:8090");
    const email = stringOpt(ctx, 'email', DEFAULT_SERVICE_ACCOUNT_EMAIL);
    const out = resolve(ctx.cwd, stringOpt(ctx, 'out', 'sheetsim-service-account.json'));
    try {
      checkCredentialsInput(url, email);
    } catch (err) {
      throw new UsageError(`--${(err as Error).message}`);
    }
    let path: string;
    try {
      path = writeFakeCredentials({ url, email, path: out });
    } catch (err) {
      throw new InputError(`cannot write ${out}: ${(err as Error).message}`);
    }
    ctx.stdout.write(`${path}\n`);
    return 0;
  },
};
