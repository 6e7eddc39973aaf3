/** Reading a report folder back: report.json checked against the schema, events.jsonl streamed line by line. */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '../errors.ts';
import type { EventRecord, Report } from './model.ts';
import { REPORT_SCHEMA_VERSION } from './model.ts';
import { reportSchema, validateSchema } from './schema.ts';

/** Read DIR/report.json, refusing other schema versions and shapes with a message that names the field. */
export async function readReport(dir: string): Promise<Report> {
  const path = join(dir, 'report.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${dir} has no report.json (is it a folder written by 'sheetsim run'?)` : `cannot read ${path}: ${code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  return checkReport(json, path);
}

/** Validate parsed report JSON; `source` names it in messages. */
export function checkReport(json: unknown, source: string): Report {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InputError(`${source}: expected a JSON object`);
  const version = (json as { schemaVersion?: unknown }).schemaVersion;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new InputError(
      version === undefined
        ? `${source} has no schemaVersion; this sheetsim reads version ${REPORT_SCHEMA_VERSION}`
        : `${source} has schemaVersion ${JSON.stringify(version)}; this sheetsim reads version ${REPORT_SCHEMA_VERSION}`,
    );
  }
  const errors = validateSchema(json, reportSchema());
  if (errors.length > 0) {
    // One line (the CLI's contract for exit 2): the first problems, separated by semicolons.
    throw new InputError(`${source} does not match docs/report.schema.json: ${errors.slice(0, 10).join('; ')}${errors.length > 10 ? '; … and more' : ''}`);
  }
  return json as Report;
}

/** Stream DIR/events.jsonl one EventRecord at a time; a malformed line is an InputError naming its line number. */
export async function* readEvents(dir: string): AsyncGenerator<EventRecord> {
  const path = join(dir, 'events.jsonl');
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${dir} has no events.jsonl` : `cannot read ${path}: ${code ?? (err as Error).message}`);
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      let e: unknown;
      try {
        e = JSON.parse(line);
      } catch (err) {
        throw new InputError(`${path}:${n}: not valid JSON (${(err as Error).message})`);
      }
      const r = e as Partial<EventRecord>;
      if (typeof r !== 'object' || r === null || !Number.isInteger(r.seq) || typeof r.scenario !== 'string' || typeof r.responseMs !== 'number') {
        throw new InputError(`${path}:${n}: expected an event record with integer seq, string scenario and number responseMs`);
      }
      yield r as EventRecord;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}
