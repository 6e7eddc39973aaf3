/**
 * Parse and validate what a Sheets request carries (query parameters and JSON bodies) into typed values, with
 * Google's 400 texts. Nothing is touched before a request has passed through here.
 */
import { invalidPayload, badRequest } from './errors.ts';
import type { DateTimeRenderOption, ValueInputOption, ValueRenderOption } from './values.ts';

export type Dimension = 'ROWS' | 'COLUMNS';
export type InsertDataOption = 'OVERWRITE' | 'INSERT_ROWS';
export type Query = Record<string, unknown>;
/** One input value as the wire allows it. */
export type InputValue = string | number | boolean | null;

/** Google's system parameters (StandardParameters): accepted on every method, ignored unless they carry credentials. */
export const SYSTEM_PARAMS = [
  'key',
  'alt',
  'fields',
  'prettyPrint',
  'quotaUser',
  '$.xgafv',
  'access_token',
  'oauth_token',
  'callback',
  'uploadType',
  'upload_protocol',
] as const;

/** How a read is rendered (values.get/batchGet, or the `response*` options of a write). */
export interface RenderOptions {
  majorDimension: Dimension;
  valueRender: ValueRenderOption;
  dateTimeRender: DateTimeRenderOption;
}

/** The response options of a write. */
export interface ResponseOptions {
  includeValues: boolean;
  render: RenderOptions;
}

/** A ValueRange from a request body. */
export interface InputValueRange {
  range: string | undefined;
  majorDimension: Dimension;
  values: InputValue[][];
}

const PROTO = 'type.googleapis.com/google.apps.sheets.v4';

interface EnumSpec<T extends string> {
  values: readonly T[];
  /** The proto field name Google names in its error (`value_input_option`). */
  field: string;
  type: string;
  /** What `*_UNSPECIFIED` means, if Google treats it as the default. */
  unspecified?: T;
}

const DIMENSION: EnumSpec<Dimension> = { values: ['ROWS', 'COLUMNS'], field: 'major_dimension', type: `${PROTO}.Dimension`, unspecified: 'ROWS' };
const VALUE_RENDER: EnumSpec<ValueRenderOption> = {
  values: ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'],
  field: 'value_render_option',
  type: `${PROTO}.ValueRenderOption`,
};
const DATE_TIME_RENDER: EnumSpec<DateTimeRenderOption> = {
  values: ['SERIAL_NUMBER', 'FORMATTED_STRING'],
  field: 'date_time_render_option',
  type: `${PROTO}.DateTimeRenderOption`,
};
const VALUE_INPUT: EnumSpec<ValueInputOption> = { values: ['RAW', 'USER_ENTERED'], field: 'value_input_option', type: `${PROTO}.ValueInputOption` };
const INSERT_DATA: EnumSpec<InsertDataOption> = {
  values: ['OVERWRITE', 'INSERT_ROWS'],
  field: 'insert_data_option',
  type: `${PROTO}.AppendValuesRequest.InsertDataOption`,
};

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `value_input_option` for `valueInputOption`, `data[0].major_dimension` for a nested field. */
function protoPath(prefix: string, field: string): string {
  return prefix === '' ? field : `${prefix}.${field}`;
}

function parseEnum<T extends string>(raw: unknown, spec: EnumSpec<T>, prefix = ''): T | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') {
    if ((spec.values as readonly string[]).includes(raw)) return raw as T;
    if (spec.unspecified !== undefined && raw.endsWith('_UNSPECIFIED')) return spec.unspecified;
  }
  throw badRequest(`Invalid value at '${protoPath(prefix, spec.field)}' (${spec.type}), ${typeof raw === 'string' ? JSON.stringify(raw) : show(raw)}`);
}

/** A query parameter given once (a repeated one takes its last value, as Google's binding does). */
function single(query: Query, name: string): unknown {
  const value = query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Reject query parameters the method does not have: Google answers 400 rather than ignoring them. */
export function checkQueryNames(query: Query, allowed: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if ((SYSTEM_PARAMS as readonly string[]).includes(name) || allowed.includes(name)) continue;
    throw invalidPayload(`Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`);
  }
}

/**
 * A boolean query parameter or body field. Google's query binding takes `true`/`false` in any case (Python
 * clients such as gspread send `False`); a JSON body field must be a JSON boolean (or the string forms).
 */
export function parseBool(raw: unknown, field: string, fromQuery = false): boolean {
  if (raw === undefined) return false;
  const text = fromQuery && typeof raw === 'string' ? raw.toLowerCase() : raw;
  if (text === true || text === 'true' || text === '1') return true;
  if (text === false || text === 'false' || text === '0') return false;
  throw badRequest(`Invalid value at '${field}' (TYPE_BOOL), ${show(raw)}`);
}

/** majorDimension, valueRenderOption and dateTimeRenderOption of a read (query parameters). */
export function readOptions(query: Query): RenderOptions {
  return {
    majorDimension: parseEnum(single(query, 'majorDimension'), DIMENSION) ?? 'ROWS',
    valueRender: parseEnum(single(query, 'valueRenderOption'), VALUE_RENDER) ?? 'FORMATTED_VALUE',
    dateTimeRender: parseEnum(single(query, 'dateTimeRenderOption'), DATE_TIME_RENDER) ?? 'SERIAL_NUMBER',
  };
}

/** The required valueInputOption, from the query (update, append) or the body (batchUpdate). */
export function valueInputOption(raw: unknown, prefix = ''): ValueInputOption {
  if (raw === undefined || raw === '' || raw === 'INPUT_VALUE_OPTION_UNSPECIFIED') {
    throw badRequest("'valueInputOption' is required but not specified");
  }
  return parseEnum(raw, VALUE_INPUT, prefix)!;
}

/** valueInputOption from the query. */
export function queryValueInputOption(query: Query): ValueInputOption {
  return valueInputOption(single(query, 'valueInputOption'));
}

/** insertDataOption of values.append (OVERWRITE by default). */
export function insertDataOption(query: Query): InsertDataOption {
  const raw = single(query, 'insertDataOption');
  return parseEnum(raw, INSERT_DATA) ?? 'OVERWRITE';
}

/** includeValuesInResponse and the response render options, from the query or a batch body. */
export function responseOptions(source: Query, fromBody = false): ResponseOptions {
  const get = (name: string): unknown => (fromBody ? source[name] : single(source, name));
  return {
    includeValues: parseBool(get('includeValuesInResponse'), 'include_values_in_response', !fromBody),
    render: {
      majorDimension: 'ROWS',
      valueRender: parseEnum(get('responseValueRenderOption'), { ...VALUE_RENDER, field: 'response_value_render_option' }) ?? 'FORMATTED_VALUE',
      dateTimeRender:
        parseEnum(get('responseDateTimeRenderOption'), { ...DATE_TIME_RENDER, field: 'response_date_time_render_option' }) ?? 'SERIAL_NUMBER',
    },
  };
}

/** Repeated `ranges` of batchGet (at least one). */
export function queryRanges(query: Query): string[] {
  const raw = query.ranges;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((r) => String(r));
}

/** Parse a request body's JSON text (empty means `{}`), with Google's message for bad JSON. */
export function parseJsonBody(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    const match = /position (\d+)/.exec(String((err as Error).message));
    let where = '';
    if (match) {
      const at = Number(match[1]);
      const from = Math.max(0, at - 40);
      const line = text.slice(from, at + 20).replace(/\s/g, ' ');
      where = `\n${line}\n${' '.repeat(at - from)}^`;
    }
    throw invalidPayload(`Unexpected token.${where}`);
  }
}

/**
 * The body as a JSON object whose fields are all in `allowed`. A member whose value is JSON `null` is "not set"
 * (proto3 JSON mapping) and is left out of the result: gspread sends `"majorDimension": null` and
 * `"includeValuesInResponse": null`, which Google accepts.
 */
export function bodyObject(body: unknown, allowed: readonly string[], at = ''): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    if (at === '') throw invalidPayload('Unknown name "": Root element must be a message.');
    throw invalidPayload(`Invalid value at '${at}': expected an object, got ${show(body)}.`);
  }
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!allowed.includes(key)) throw invalidPayload(`Unknown name "${key}"${at === '' ? '' : ` at '${at}'`}: Cannot find field.`);
    if (value !== null) set[key] = value;
  }
  return set;
}

/** Google's limit on the text of one cell. */
export const MAX_CELL_CHARACTERS = 50_000;

/** Counted in UTF-16 code units (a character outside the BMP counts 2); whether Google counts so is not pinned down. */
function tooLongForCell(text: string): boolean {
  return text.length > MAX_CELL_CHARACTERS;
}

/** Validate `values` of a ValueRange: an array of rows, each an array of strings, numbers, booleans or nulls. */
function valuesAt(raw: unknown, at: string): InputValue[][] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalidPayload(`Invalid value at '${at}': expected an array of rows (arrays of values), got ${show(raw)}.`);
  raw.forEach((row, i) => {
    if (!Array.isArray(row)) throw invalidPayload(`Invalid value at '${at}[${i}]': expected an array of values, got ${show(row)}.`);
    row.forEach((value, j) => {
      if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw invalidPayload(`Invalid value at '${at}[${i}][${j}]': expected a string, number, boolean or null, got ${show(value)}.`);
      }
      if (typeof value === 'string' && tooLongForCell(value)) {
        throw badRequest(`Your input contains more than the maximum of ${MAX_CELL_CHARACTERS} characters in a single cell.`);
      }
    });
  });
  return raw as InputValue[][];
}

/** A ValueRange body (`{range, majorDimension, values}`); `at` is its path in the request (`data[2]`). */
export function valueRange(raw: unknown, at = ''): InputValueRange {
  const obj = bodyObject(raw, ['range', 'majorDimension', 'values'], at);
  const range = obj.range;
  if (range !== undefined && typeof range !== 'string') {
    throw invalidPayload(`Invalid value at '${protoPath(at, 'range')}': expected a string, got ${show(range)}.`);
  }
  return {
    range,
    majorDimension: parseEnum(obj.majorDimension, DIMENSION, at) ?? 'ROWS',
    values: valuesAt(obj.values, protoPath(at, 'values')),
  };
}

/** `ranges` of a batchClear body. */
export function bodyRanges(raw: unknown): string[] {
  const obj = bodyObject(raw, ['ranges']);
  const ranges = obj.ranges ?? [];
  if (!Array.isArray(ranges) || ranges.some((r) => typeof r !== 'string')) {
    throw invalidPayload(`Invalid value at 'ranges': expected an array of A1 strings, got ${show(ranges)}.`);
  }
  return ranges as string[];
}

/** Rows of a ValueRange in row-major order, whatever its majorDimension. */
export function rowsOf(input: InputValueRange): InputValue[][] {
  if (input.majorDimension === 'ROWS') return input.values;
  const rows: InputValue[][] = [];
  input.values.forEach((column, c) => {
    column.forEach((value, r) => {
      const row = (rows[r] ??= []);
      while (row.length < c) row.push(null);
      row[c] = value;
    });
  });
  for (let r = 0; r < rows.length; r++) rows[r] ??= [];
  return rows;
}
