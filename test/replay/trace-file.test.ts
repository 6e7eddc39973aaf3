import { describe, expect, it } from 'vitest';
import { defaultTraceName } from '../../simulator/replay/trace-file.ts';
import { defaultTraceOptions as d } from '../../simulator/workload/profiles.ts';

describe('defaultTraceName', () => {
  it('keeps the short name for the default world and names every other option that changes the bytes', () => {
    expect(defaultTraceName(d)).toBe('zeues-seed42-w40-d300s-s2000-c0.05.jsonl');
    expect(defaultTraceName({ ...d, durationMs: 1500 })).toBe('zeues-seed42-w40-d1500ms-s2000-c0.05.jsonl');
    expect(defaultTraceName({ ...d, payroll: 20, startDate: '2026-06-01', thinkMinMs: 1000, thinkMaxMs: 2000 }))
      .toBe('zeues-seed42-w40-d300s-s2000-c0.05-p20-2026-06-01-t1000-2000.jsonl');
  });
});
