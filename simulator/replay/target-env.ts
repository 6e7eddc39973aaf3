/**
 * `--target-env NAME=TEMPLATE`: how an unchanged backend started by `--target-cmd` gets the mock's coordinates
 * under the variable names it already reads (e.g. GOOGLE_SHEET_ID, GOOGLE_APPLICATION_CREDENTIALS_JSON). Parsed
 * once, before anything starts; expanded once the mock is up and the credentials are written.
 */

/** What a template may name: the values sheetsim knows only after it started the mock. */
export interface TargetEnvValues {
  /** Base URL of the mock Sheets API, e.g. http://127.0.0.1:41235 */
  sheets_url: string;
  /** The world's main spreadsheet id (`zeues-seed-42`). */
  spreadsheet_id: string;
  /** The world's audit spreadsheet id (`zeues-seed-42-audit`). */
  audit_spreadsheet_id: string;
  /** Path of the fake service-account key file (its token_uri points at the mock). */
  credentials_path: string;
  /** The same key file's JSON text, for backends that read the key from a variable. */
  credentials_json: string;
  /** The port the backend must listen on. */
  port: string;
}

export const TARGET_ENV_PLACEHOLDERS: readonly (keyof TargetEnvValues)[] = [
  'sheets_url', 'spreadsheet_id', 'audit_spreadsheet_id', 'credentials_path', 'credentials_json', 'port',
];

/** One parsed `--target-env` entry: a variable name and its template split into literal text and placeholders. */
export interface TargetEnvEntry {
  name: string;
  parts: ({ text: string } | { placeholder: keyof TargetEnvValues })[];
}

/** A `--target-env` value that cannot be used; the message names the entry and what was expected. */
export class TargetEnvError extends Error {
  override name = 'TargetEnvError';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parse `NAME=TEMPLATE` entries. `{placeholder}` is replaced at start; `{{` and `}}` are literal braces. A name given
 * twice is refused (the second would silently win).
 */
export function parseTargetEnv(entries: readonly string[]): TargetEnvEntry[] {
  const out: TargetEnvEntry[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new TargetEnvError(`--target-env '${entry}': expected NAME=TEMPLATE, e.g. GOOGLE_SHEET_ID={spreadsheet_id}`);
    const name = entry.slice(0, eq);
    if (!NAME.test(name)) throw new TargetEnvError(`--target-env '${entry}': '${name}' is not an environment variable name (letters, digits, _; not starting with a digit)`);
    if (seen.has(name)) throw new TargetEnvError(`--target-env ${name} is given twice`);
    seen.add(name);
    out.push({ name, parts: parseTemplate(entry.slice(eq + 1), entry) });
  }
  return out;
}

function parseTemplate(template: string, entry: string): TargetEnvEntry['parts'] {
  const parts: TargetEnvEntry['parts'] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      text += ch;
      i += 1;
      continue;
    }
    if (ch === '}') throw new TargetEnvError(`--target-env '${entry}': unmatched '}' at position ${i + 1} (write '}}' for a literal brace)`);
    if (ch !== '{') {
      text += ch;
      continue;
    }
    const end = template.indexOf('}', i + 1);
    if (end < 0) throw new TargetEnvError(`--target-env '${entry}': unclosed '{' at position ${i + 1} (write '{{' for a literal brace)`);
    const key = template.slice(i + 1, end);
    if (!(TARGET_ENV_PLACEHOLDERS as readonly string[]).includes(key)) {
      throw new TargetEnvError(`--target-env '${entry}': unknown placeholder {${key}}; known: ${TARGET_ENV_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`);
    }
    if (text) parts.push({ text });
    text = '';
    parts.push({ placeholder: key as keyof TargetEnvValues });
    i = end;
  }
  if (text) parts.push({ text });
  return parts;
}

/** The variables the entries give, with every placeholder replaced. */
export function expandTargetEnv(entries: readonly TargetEnvEntry[], values: TargetEnvValues): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of entries) env[e.name] = e.parts.map((p) => ('text' in p ? p.text : values[p.placeholder])).join('');
  return env;
}

/** The `--target-env` flags of the founding users' FastAPI + gspread backend (README, `run --help`). */
export const FASTAPI_GSPREAD_MAPPING: readonly string[] = [
  'GOOGLE_SHEET_ID={spreadsheet_id}',
  'GOOGLE_AUDIT_SHEET_ID={audit_spreadsheet_id}',
  'GOOGLE_APPLICATION_CREDENTIALS_JSON={credentials_json}',
];
