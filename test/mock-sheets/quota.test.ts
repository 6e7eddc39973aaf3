import { describe, expect, it } from 'vitest';
import { DEFAULT_VIRTUAL_START_MS, wallClock } from '../../mock-sheets/clock.ts';
import { GOOGLE_QUOTA, QuotaTracker, parseQuotaConfig } from '../../mock-sheets/quota.ts';
import { createPolicy } from '../../mock-sheets/realism.ts';
import type { Admission, CallInfo } from '../../mock-sheets/policy.ts';

const SA = 'backend@proj.iam.gserviceaccount.com';
const write = (quotaUser = SA): CallInfo => ({ method: 'values.append', kind: 'write', quotaUser });
const read = (quotaUser = SA): CallInfo => ({ method: 'values.get', kind: 'read', quotaUser });
const statuses = (as: Admission[]) => as.map((a) => (a.action === 'reject' ? a.error.status : a.action === 'proceed' ? 200 : 'drop'));

describe('quotas on a virtual clock', () => {
  const start = Math.floor(DEFAULT_VIRTUAL_START_MS / 60_000) * 60_000; // a minute boundary

  it('lets exactly 60 writes through in a minute, answers the 61st with Google 429 body, and refills next minute', () => {
    const policy = createPolicy({ seed: 42, quota: 'on', clock: 'virtual', startMs: start });
    const first = Array.from({ length: 60 }, (_, i) => {
      policy.clock.set(start + i * 900);
      return policy.admit(write());
    });
    expect(statuses(first).every((s) => s === 200)).toBe(true);
    policy.clock.set(start + 59_999);
    const over = policy.admit(write());
    expect(over.action).toBe('reject');
    if (over.action !== 'reject') return;
    expect(over.error).toEqual({
      status: 429,
      googleStatus: 'RESOURCE_EXHAUSTED',
      message:
        "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:587604721042'.",
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'RATE_LIMIT_EXCEEDED',
          domain: 'googleapis.com',
          metadata: {
            quota_limit: 'WriteRequestsPerMinutePerUser',
            quota_metric: 'sheets.googleapis.com/write_requests',
            quota_location: 'global',
            quota_unit: '1/min/{project}/{user}',
            service: 'sheets.googleapis.com',
            consumer: 'projects/587604721042',
            quota_limit_value: '60',
          },
        },
        {
          '@type': 'type.googleapis.com/google.rpc.Help',
          links: [{ description: 'Request a higher quota limit.', url: 'https://cloud.google.com/docs/quotas/help/request_increase' }],
        },
      ],
      reason: 'RATE_LIMIT_EXCEEDED',
    });
    // Rejected calls do not count: still exactly 60 writes and one rejection this minute.
    expect(policy.quotaUsage().minutes).toEqual([
      { minute: start / 60_000, startsAt: new Date(start).toISOString(), user: SA, reads: 0, writes: 60, rejected: 1 },
    ]);
    policy.clock.set(start + 60_000);
    expect(statuses([policy.admit(write())])).toEqual([200]);
  });

  it('counts reads independently of writes', () => {
    const policy = createPolicy({ seed: 1, quota: 'on', clock: 'virtual', startMs: start });
    for (let i = 0; i < 60; i++) expect(policy.admit(write()).action).toBe('proceed');
    expect(policy.admit(write()).action).toBe('reject');
    const reads = Array.from({ length: 61 }, () => policy.admit(read()));
    expect(statuses(reads.slice(0, 60)).every((s) => s === 200)).toBe(true);
    const last = reads[60]!;
    expect(last.action === 'reject' && last.error.message).toContain("limit 'Read requests per minute per user'");
    expect(last.action === 'reject' && (last.error.details[0] as { metadata: { quota_limit: string } }).metadata.quota_limit).toBe(
      'ReadRequestsPerMinutePerUser',
    );
  });

  it('gives two users separate user buckets that share the project 300', () => {
    const tracker = new QuotaTracker(parseQuotaConfig('on'));
    const now = start + 5;
    for (let u = 0; u < 5; u++) for (let i = 0; i < 60; i++) expect(tracker.admit('write', `user${u}`, now)).toBeNull();
    // user0 is over its own limit: the user limit is reported first.
    expect(tracker.admit('write', 'user0', now)?.details[0]).toMatchObject({ metadata: { quota_limit: 'WriteRequestsPerMinutePerUser' } });
    // A sixth user has its own bucket but the project's 300 are used up.
    const project = tracker.admit('write', 'user5', now);
    expect(project?.status).toBe(429);
    expect(project?.message).toBe(
      "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute' of service 'sheets.googleapis.com' for consumer 'project_number:587604721042'.",
    );
    expect(project?.details[0]).toMatchObject({ metadata: { quota_limit: 'WriteRequestsPerMinutePerProject', quota_limit_value: '300' } });
    expect(tracker.admit('read', 'user5', now)).toBeNull();
    expect(tracker.admit('write', 'user5', now + 60_000)).toBeNull();
  });

  it('under the wall clock at speed 10 the quota minute lasts 6 real seconds', () => {
    let mono = 0;
    const clock = wallClock({ speed: 10, startMs: start, monotonic: () => mono });
    const tracker = new QuotaTracker({ ...GOOGLE_QUOTA, writePerUser: 1 });
    expect(tracker.admit('write', SA, clock.now())).toBeNull();
    mono = 5_999;
    expect(tracker.admit('write', SA, clock.now())?.status).toBe(429);
    mono = 6_000;
    expect(tracker.admit('write', SA, clock.now())).toBeNull();
  });

  it('counts use when off but never rejects, and reset forgets the windows', () => {
    const policy = createPolicy({ seed: 1, quota: 'off', clock: 'virtual', startMs: start });
    for (let i = 0; i < 100; i++) expect(policy.admit(write()).action).toBe('proceed');
    expect(policy.quotaUsage()).toMatchObject({ limits: 'off', minutes: [{ writes: 100, rejected: 0 }] });
    policy.reset(2);
    expect(policy.quotaUsage().minutes).toEqual([]);
  });

  it('takes custom limits and rejects bad ones naming the field', () => {
    expect(parseQuotaConfig({ writePerUser: 10 })).toMatchObject({ writePerUser: 10, readPerUser: 60, writePerProject: 300 });
    expect(() => parseQuotaConfig({ writePerUser: 1.5 })).toThrow('quota.writePerUser: expected a whole number at least 0, got 1.5');
    expect(() => parseQuotaConfig({ writesPerUser: 1 })).toThrow(/quota.writesPerUser: unknown field/);
    expect(() => parseQuotaConfig('maybe')).toThrow(/quota: expected "off", "on" or an object/);
  });
});
