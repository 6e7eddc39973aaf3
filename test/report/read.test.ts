import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../simulator/errors.ts';
import { DEFAULT_GATES, evaluateGates } from '../../simulator/report/gates.ts';
import { checkReport, readEvents, readReport } from '../../simulator/report/read.ts';
import { reportSchema, validateSchema } from '../../simulator/report/schema.ts';
import { buildFixture, writeFixtureDir } from './fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'sheetsim-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report schema and readReport', () => {
  it('a constructed report with gates validates against docs/report.schema.json', () => {
    const { report } = buildFixture();
    report.gates = evaluateGates(report, DEFAULT_GATES);
    expect(validateSchema(JSON.parse(JSON.stringify(report)), reportSchema())).toEqual([]);
  });

  it('the schema is draft 2020-12 and versioned', () => {
    const schema = reportSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties?.schemaVersion).toEqual({ enum: [2] });
  });

  it('reads a folder back and streams its events', async () => {
    const d = join(dir, 'ok');
    const f = writeFixtureDir(d, { events: 50 });
    const report = await readReport(d);
    expect(report.totals.requests).toBe(50);
    const seqs: number[] = [];
    for await (const e of readEvents(d)) seqs.push(e.seq);
    expect(seqs).toEqual(f.events.map((e) => e.seq));
  });

  it('refuses another schema version with a clear message', async () => {
    const d = join(dir, 'v1');
    writeFixtureDir(d, { events: 10 });
    const json = JSON.parse(readFileSync(join(d, 'report.json'), 'utf8'));
    json.schemaVersion = 1;
    writeFileSync(join(d, 'report.json'), JSON.stringify(json));
    await expect(readReport(d)).rejects.toThrow(`${join(d, 'report.json')} has schemaVersion 1; this sheetsim reads version 2`);
  });

  it('names the field that does not match', () => {
    const { report } = buildFixture({ events: 20 });
    const json = JSON.parse(JSON.stringify(report));
    json.scenarios.iniciar.count = '3';
    delete json.sheets.writes;
    json.extra = true;
    let message = '';
    try {
      checkReport(json, 'r.json');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      message = (err as Error).message;
    }
    expect(message).toContain('/scenarios/iniciar/count: expected integer, got "3"');
    expect(message).toContain('/sheets/writes: required field missing');
    expect(message).toContain('/extra: unexpected field');
  });

  it('reports a malformed events.jsonl line by number, and a missing report.json by folder', async () => {
    const d = join(dir, 'badevents');
    writeFixtureDir(d, { events: 3 });
    writeFileSync(join(d, 'events.jsonl'), '{"seq":0,"scenario":"x","responseMs":1}\nnot json\n');
    const read = async () => { for await (const _ of readEvents(d)) void _; };
    await expect(read()).rejects.toThrow(/events\.jsonl:2: not valid JSON/);
    await expect(readReport(join(dir, 'nothing'))).rejects.toThrow(/has no report\.json/);
  });
});

describe('validateSchema (Ajv, strict)', () => {
  const nullable = {
    type: 'object',
    properties: { a: { anyOf: [{ type: 'null' }, { type: 'object', properties: { b: { type: 'integer' } }, required: ['b'], additionalProperties: false }] } },
  };

  it('names the field inside the branch that matches the value type, not the other branches', () => {
    expect(validateSchema({ a: null }, nullable)).toEqual([]);
    expect(validateSchema({ a: {} }, nullable)).toEqual(['/a/b: required field missing']);
    expect(validateSchema({ a: { b: 1.5 } }, nullable)).toEqual(['/a/b: expected integer, got 1.5']);
    expect(validateSchema({ a: { b: 1, c: 2 } }, nullable)).toEqual(['/a/c: unexpected field']);
    expect(validateSchema({ a: 'x' }, nullable)).toEqual(['/a: expected null or object, got "x"']);
  });

  it('refuses a schema keyword it does not know instead of ignoring it', () => {
    expect(() => validateSchema({}, { type: 'object', minProps: 3 })).toThrow(/unknown keyword: "minProps"/);
  });

  it('checks keywords the old hand-written subset ignored (maxLength, pattern)', () => {
    expect(validateSchema('abcd', { type: 'string', maxLength: 3 })).toEqual(['/: must NOT have more than 3 characters']);
    expect(validateSchema('x1', { type: 'string', pattern: '^[a-z]+$' })).toEqual(['/: must match pattern "^[a-z]+$"']);
  });
});
