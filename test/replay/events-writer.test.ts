import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventsWriter } from '../../simulator/replay/events-writer.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('EventsWriter', () => {
  it('writes records and pre-serialised lines in order, across many chunks, one per line', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sheetsim-ew-'));
    const w = new EventsWriter(join(dir, 'events.jsonl'));
    const expected: string[] = [];
    for (let i = 0; i < 5000; i++) {
      // ~100-byte lines: 5,000 of them span several of the writer's chunks.
      const rec = { seq: i, body: 'é'.repeat(i % 7) + 'x'.repeat(80) };
      if (i % 2 === 0) w.write(rec as never);
      else w.writeLine(JSON.stringify(rec));
      expected.push(JSON.stringify(rec));
    }
    expect(w.count).toBe(5000);
    await w.close();
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8')).toBe(expected.join('\n') + '\n');
  });
});
