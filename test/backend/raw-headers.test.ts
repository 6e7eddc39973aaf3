/** The Sheets client reads raw response headers itself (undici is loaded only for a pool): as undici's own parser does. */
import { util } from 'undici';
import { describe, expect, it } from 'vitest';
import { parseRawHeaders } from '../../backend/sheets-client.ts';

const raw = (...pairs: string[]): Buffer[] => pairs.map((p, i) => Buffer.from(p, i % 2 === 0 ? 'latin1' : 'utf8'));

describe('parseRawHeaders', () => {
  it.each([
    ['plain', raw('Content-Type', 'application/json; charset=UTF-8', 'X-Sheetsim-Latency-Ms', '312')],
    ['a repeated header, in order', raw('Vary', 'Origin', 'vary', 'X-Origin', 'VARY', 'Referer', 'Retry-After', '7')],
    ['UTF-8 bytes (kept one character per byte), an empty value', raw('X-Note', 'año ✓', 'X-Empty', '')],
    ['names that are Object.prototype keys', raw('Constructor', 'a', 'constructor', 'b', 'toString', 'c', '__proto__', 'd')],
    ['none', raw()],
  ])('%s: the same object as undici.util.parseHeaders', (_name, headers) => {
    expect(parseRawHeaders(headers)).toEqual(util.parseHeaders(headers));
  });
});
