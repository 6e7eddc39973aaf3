/**
 * report.json is checked against docs/report.schema.json (JSON Schema draft 2020-12) with Ajv, a maintained
 * validator, in strict mode: a keyword the validator does not know is an error when the schema compiles, never a
 * rule silently skipped. Messages keep the form `/scenarios/iniciar/count: expected integer, got "3"`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { packagePath } from '../package-root.ts';

// Loaded on first use: Ajv is ~90 modules, and a `sheetsim run` that reads no report never validates one.
const require = createRequire(import.meta.url);

export interface JsonSchema {
  $schema?: string;
  type?: string | string[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  $defs?: Record<string, JsonSchema>;
  [key: string]: unknown;
}

let cached: JsonSchema | undefined;

/** The report schema shipped in docs/report.schema.json. */
export function reportSchema(): JsonSchema {
  cached ??= JSON.parse(readFileSync(packagePath('docs', 'report.schema.json'), 'utf8')) as JsonSchema;
  return cached;
}

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    // allowUnionTypes: the schema writes some fields as `type: [string, number, …]`, which strict mode would refuse.
    const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Validate value against schema; returns messages like `/scenarios/iniciar/count: expected integer, got "3"` (empty when valid). */
export function validateSchema(value: unknown, schema: JsonSchema, limit = 20): string[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  return messages(validate.errors ?? [], value).slice(0, limit);
}

/**
 * Ajv's errors as one message per problem. Under an `anyOf` (a nullable field, say) Ajv reports every branch;
 * when some branch got past the value's type (it complains about the content), the other branches' "must be null" and the
 * anyOf summary are noise and are dropped, as a reader expects the branch that matches the value's type.
 */
function messages(errors: ErrorObject[], root: unknown): string[] {
  const shallow = new Set(['type', 'anyOf', 'enum', 'const']);
  // Some branch accepted the value's type when it complained about the value's content (here or deeper).
  const pastType = (path: string): boolean => errors.some((e) => (e.instancePath === path && !shallow.has(e.keyword)) || e.instancePath.startsWith(`${path}/`));
  const kept = errors.filter((e) => !(shallow.has(e.keyword) && errors.some((a) => a.keyword === 'anyOf' && a.instancePath === e.instancePath) && pastType(e.instancePath)));
  const out: string[] = [];
  const typesAt = new Map<string, string[]>();
  for (const e of kept) {
    const at = e.instancePath || '/';
    switch (e.keyword) {
      case 'required':
        out.push(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}: required field missing`);
        break;
      case 'additionalProperties':
        out.push(`${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}: unexpected field`);
        break;
      case 'type': {
        const list = typesAt.get(at) ?? [];
        if (list.length === 0) typesAt.set(at, list);
        list.push(...[(e.params as { type: string | string[] }).type].flat());
        break;
      }
      case 'enum':
        out.push(`${at}: expected one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}, got ${brief(at, root)}`);
        break;
      case 'anyOf':
        if (!typesAt.has(at)) out.push(`${at}: ${e.message ?? 'does not match'}, got ${brief(at, root)}`);
        break;
      default:
        out.push(`${at}: ${e.message ?? e.keyword}`);
    }
  }
  for (const [at, types] of typesAt) out.push(`${at}: expected ${[...new Set(types)].join(' or ')}, got ${brief(at, root)}`);
  return [...new Set(out)];
}

/** A short JSON rendering of the value at a JSON pointer. */
function brief(pointer: string, root: unknown): string {
  let value: unknown = root;
  for (const part of pointer.split('/').slice(1)) {
    if (part === '') continue;
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
