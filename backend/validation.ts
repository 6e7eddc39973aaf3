/** Request validation with FastAPI/pydantic v2's 422 body: `{"detail":[{type, loc, msg, input, ctx?}]}`. */
import { HttpError } from './http-error.ts';

/** One pydantic error entry. */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export const OPERACIONES = ['ARM', 'SOLD', 'METROLOGIA', 'REPARACION'] as const;
export type Operacion = (typeof OPERACIONES)[number];

export interface IniciarRequest {
  tag_spool: string;
  worker_id: number;
  worker_nombre: string;
  operacion: Operacion;
}

export interface FinalizarRequest {
  tag_spool: string;
  worker_id: number;
  operacion: Operacion;
  selected_unions: string[];
}

/** The 422 response for a list of issues. */
export function validationError(issues: ValidationIssue[]): HttpError {
  return new HttpError(422, { detail: issues });
}

/** Marker the JSON body parser leaves when the body is not valid JSON. */
export class InvalidJsonBody {
  constructor(
    readonly position: number,
    readonly message: string,
  ) {}
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (body instanceof InvalidJsonBody) {
    throw validationError([{ type: 'json_invalid', loc: ['body', body.position], msg: 'JSON decode error', input: {}, ctx: { error: body.message } }]);
  }
  if (body === undefined || body === null) throw validationError([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw validationError([{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body }]);
  }
  return body as Record<string, unknown>;
}

function checkString(obj: Record<string, unknown>, key: string, issues: ValidationIssue[], minLength = 1): string {
  const v = obj[key];
  if (v === undefined) issues.push({ type: 'missing', loc: ['body', key], msg: 'Field required', input: obj });
  else if (typeof v !== 'string') issues.push({ type: 'string_type', loc: ['body', key], msg: 'Input should be a valid string', input: v });
  else if (v.length < minLength) {
    issues.push({ type: 'string_too_short', loc: ['body', key], msg: `String should have at least ${minLength} character${minLength === 1 ? '' : 's'}`, input: v, ctx: { min_length: minLength } });
  } else return v;
  return '';
}

function checkWorkerId(obj: Record<string, unknown>, issues: ValidationIssue[]): number {
  const v = obj.worker_id;
  const loc = ['body', 'worker_id'];
  let n: number | undefined;
  if (v === undefined) issues.push({ type: 'missing', loc, msg: 'Field required', input: obj });
  else if (typeof v === 'number') {
    if (!Number.isFinite(v)) issues.push({ type: 'finite_number', loc, msg: 'Input should be a finite number', input: v });
    else if (!Number.isInteger(v)) issues.push({ type: 'int_from_float', loc, msg: 'Input should be a valid integer, got a number with a fractional part', input: v });
    else n = v;
  } else if (typeof v === 'string') {
    // pydantic's lax mode accepts integer strings.
    if (/^\s*[+-]?\d+\s*$/.test(v)) n = Number(v);
    else issues.push({ type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input: v });
  } else if (typeof v === 'boolean') n = v ? 1 : 0;
  else issues.push({ type: 'int_type', loc, msg: 'Input should be a valid integer', input: v });
  if (n !== undefined && n <= 0) {
    issues.push({ type: 'greater_than', loc, msg: 'Input should be greater than 0', input: v, ctx: { gt: 0 } });
    return 0;
  }
  return n ?? 0;
}

const ENUM_TEXT = "'ARM', 'SOLD', 'METROLOGIA' or 'REPARACION'";

function checkOperacion(obj: Record<string, unknown>, issues: ValidationIssue[]): Operacion {
  const v = obj.operacion;
  if (v === undefined) issues.push({ type: 'missing', loc: ['body', 'operacion'], msg: 'Field required', input: obj });
  else if (typeof v !== 'string' || !(OPERACIONES as readonly string[]).includes(v)) {
    issues.push({ type: 'enum', loc: ['body', 'operacion'], msg: `Input should be ${ENUM_TEXT}`, input: v, ctx: { expected: ENUM_TEXT } });
  } else return v as Operacion;
  return 'ARM';
}

/** Validate an INICIAR body (extra keys ignored, as pydantic does); throws the 422. */
export function parseIniciar(body: unknown): IniciarRequest {
  const obj = bodyObject(body);
  const issues: ValidationIssue[] = [];
  const tag_spool = checkString(obj, 'tag_spool', issues);
  const worker_id = checkWorkerId(obj, issues);
  const worker_nombre = checkString(obj, 'worker_nombre', issues);
  const operacion = checkOperacion(obj, issues);
  if (issues.length) throw validationError(issues);
  return { tag_spool, worker_id, worker_nombre, operacion };
}

/** Validate a FINALIZAR body (`selected_unions` defaults to []; integers → `string_type`); throws the 422. */
export function parseFinalizar(body: unknown): FinalizarRequest {
  const obj = bodyObject(body);
  const issues: ValidationIssue[] = [];
  const tag_spool = checkString(obj, 'tag_spool', issues);
  const worker_id = checkWorkerId(obj, issues);
  const operacion = checkOperacion(obj, issues);
  const raw = obj.selected_unions ?? [];
  const selected_unions: string[] = [];
  if (!Array.isArray(raw)) issues.push({ type: 'list_type', loc: ['body', 'selected_unions'], msg: 'Input should be a valid list', input: raw });
  else
    raw.forEach((v, i) => {
      if (typeof v === 'string') selected_unions.push(v);
      else issues.push({ type: 'string_type', loc: ['body', 'selected_unions', i], msg: 'Input should be a valid string', input: v });
    });
  if (issues.length) throw validationError(issues);
  return { tag_spool, worker_id, operacion, selected_unions };
}

/** Validate the `operacion` query of the uniones endpoints (`^(ARM|SOLD)$`); throws the 422. */
export function parseUnionOperacion(query: unknown): 'ARM' | 'SOLD' {
  const v = (query as Record<string, unknown> | undefined)?.operacion;
  if (v === undefined) throw validationError([{ type: 'missing', loc: ['query', 'operacion'], msg: 'Field required', input: null }]);
  const text = Array.isArray(v) ? v[v.length - 1] : v;
  if (text !== 'ARM' && text !== 'SOLD') {
    throw validationError([{ type: 'string_pattern_mismatch', loc: ['query', 'operacion'], msg: "String should match pattern '^(ARM|SOLD)$'", input: text, ctx: { pattern: '^(ARM|SOLD)$' } }]);
  }
  return text;
}
