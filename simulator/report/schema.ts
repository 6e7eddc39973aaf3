/**
 * A small validator for the JSON Schema subset docs/report.schema.json uses (type, required, properties,
 * additionalProperties, items, enum, minimum, anyOf, local $ref), so report.json is checked without a dependency.
 */
import { readFileSync } from 'node:fs';

export interface JsonSchema {
  type?: string | string[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  anyOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  [key: string]: unknown;
}

let cached: JsonSchema | undefined;

/** The report schema shipped in docs/report.schema.json. */
export function reportSchema(): JsonSchema {
  cached ??= JSON.parse(readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8')) as JsonSchema;
  return cached;
}

/** Validate value against schema; returns messages like `/scenarios/iniciar/count: expected integer, got "3"` (empty when valid). */
export function validateSchema(value: unknown, schema: JsonSchema, root: JsonSchema = schema, path = '', errors: string[] = [], limit = 20): string[] {
  if (errors.length >= limit) return errors;
  const at = path || '/';
  if (schema.$ref) {
    const m = /^#\/\$defs\/(.+)$/.exec(schema.$ref);
    const target = m ? root.$defs?.[m[1]!] : undefined;
    if (!target) throw new Error(`schema: unresolvable $ref ${schema.$ref}`);
    return validateSchema(value, target, root, path, errors, limit);
  }
  if (schema.anyOf) {
    const branches = schema.anyOf.map((s) => validateSchema(value, s, root, path, [], limit));
    if (!branches.some((b) => b.length === 0)) {
      // Report the branch that matched the value's type, which is the one the author meant.
      const typed = branches.find((b, i) => typeMatches(value, schema.anyOf![i]!, root)) ?? branches[0]!;
      errors.push(...typed.slice(0, limit - errors.length));
    }
    return errors;
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    errors.push(`${at}: expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${brief(value)}`);
    return errors;
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => isType(value, t))) {
      errors.push(`${at}: expected ${types.join(' or ')}, got ${brief(value)}`);
      return errors;
    }
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) {
    errors.push(`${at}: expected a number >= ${schema.minimum}, got ${value}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => validateSchema(item, schema.items!, root, `${path}/${i}`, errors, limit));
  }
  if (isType(value, 'object')) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in obj)) errors.push(`${path}/${key}: required field missing`);
    }
    for (const [key, v] of Object.entries(obj)) {
      const sub = schema.properties?.[key];
      if (sub) validateSchema(v, sub, root, `${path}/${key}`, errors, limit);
      else if (schema.additionalProperties === false) errors.push(`${path}/${key}: unexpected field`);
      else if (typeof schema.additionalProperties === 'object') validateSchema(v, schema.additionalProperties, root, `${path}/${key}`, errors, limit);
      if (errors.length >= limit) break;
    }
  }
  return errors;
}

function typeMatches(value: unknown, schema: JsonSchema, root: JsonSchema): boolean {
  const s = schema.$ref ? root.$defs?.[schema.$ref.replace('#/$defs/', '')] ?? schema : schema;
  if (s.type === undefined) return true;
  return (Array.isArray(s.type) ? s.type : [s.type]).some((t) => isType(value, t));
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null': return value === null;
    case 'boolean': return typeof value === 'boolean';
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'array': return Array.isArray(value);
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    default: throw new Error(`schema: unsupported type ${type}`);
  }
}

function brief(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
