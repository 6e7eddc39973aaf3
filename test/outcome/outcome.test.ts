import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyHash, normaliseBody } from '../../simulator/outcome/outcome.ts';
import { decodeBody } from '../../simulator/replay/http.ts';

const sha16 = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);
const json = (text: string) => decodeBody(200, 'application/json', [Buffer.from(text)]);

describe('body decoding, normalising and hashing of repeated answers', () => {
  it('gives a repeated body the same value as the first time, and a changed body its own', () => {
    const a = '{"b":1,"a":[2,{"d":3,"c":4}]}';
    const b = '{"z":true}';
    const seq = [a, a, b, a, b, b, '{"a":1,', a];
    for (const text of seq) {
      const res = json(text);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      expect(res.json).toEqual(parsed);
      const normalised = normaliseBody(res.text, res.json);
      expect(normalised).toBe(parsed === undefined ? text : JSON.stringify(sortDeep(parsed)));
      expect(bodyHash(normalised)).toBe(sha16(normalised));
    }
  });

  it('does not take a text body for JSON after a JSON body with the same text', () => {
    expect(json('{"x":1}').json).toEqual({ x: 1 });
    expect(decodeBody(200, 'text/plain', [Buffer.from('{"x":1}')]).json).toBeUndefined();
  });
});

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
  return v;
}
