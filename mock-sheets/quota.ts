/**
 * Sheets per-minute quotas: read and write requests per user and per project, in fixed windows of one minute
 * counted from an origin (`floor((now - origin) / 60000)`; the replayer puts the origin at trace t = 0), which
 * Google describes as "refilled every minute".
 * Pure: the time is a parameter. A batch counts once (the caller asks once per request); rejected calls do
 * not count.
 */
import type { PolicyError } from './policy.ts';
import { ConfigError, integerAt, objectAt } from './config-fields.ts';

export interface QuotaConfig {
  readPerUser: number;
  writePerUser: number;
  readPerProject: number;
  writePerProject: number;
  /** Shown in the 429 body as `project_number:<n>`. */
  projectNumber: string;
}

/** `--quota on`: Google's default limits (developers.google.com/workspace/sheets/api/limits). */
export const GOOGLE_QUOTA: QuotaConfig = {
  readPerUser: 60,
  writePerUser: 60,
  readPerProject: 300,
  writePerProject: 300,
  projectNumber: '587604721042',
};

/** How many past minutes `usage()` reports (and the tracker remembers). */
export const USAGE_MINUTES = 10;

const CONFIG_FIELDS = ['readPerUser', 'writePerUser', 'readPerProject', 'writePerProject', 'projectNumber'] as const;

/** Validate a quota setting from JSON: `"off"`, `"on"`, or an object overriding Google's limits. Null for off. */
export function parseQuotaConfig(value: unknown, field = 'quota'): QuotaConfig | null {
  if (value === 'off') return null;
  if (value === 'on') return { ...GOOGLE_QUOTA };
  if (typeof value === 'string') throw new ConfigError(`${field}: expected "off", "on" or an object, got ${JSON.stringify(value)}`);
  const obj = objectAt(value, field, CONFIG_FIELDS);
  const out = { ...GOOGLE_QUOTA };
  for (const key of ['readPerUser', 'writePerUser', 'readPerProject', 'writePerProject'] as const) {
    if (obj[key] !== undefined) out[key] = integerAt(obj[key], `${field}.${key}`, 0);
  }
  if (obj.projectNumber !== undefined) {
    if (typeof obj.projectNumber !== 'string' || !/^\d{1,20}$/.test(obj.projectNumber)) {
      throw new ConfigError(`${field}.projectNumber: expected a string of digits, got ${JSON.stringify(obj.projectNumber)}`);
    }
    out.projectNumber = obj.projectNumber;
  }
  return out;
}

/** One user's use of one minute. */
export interface QuotaMinuteUsage {
  /** `floor((clockMs - origin) / 60000)`: minute 0 starts at the origin (trace t = 0 in a sheetsim run). */
  minute: number;
  /** Start of that minute on the mock clock, ISO 8601 UTC. */
  startsAt: string;
  user: string;
  reads: number;
  writes: number;
  /** Calls this user had rejected with 429 in that minute. */
  rejected: number;
}

export interface QuotaUsage {
  /** Active limits, or 'off' (use is still counted). */
  limits: QuotaConfig | 'off';
  /** Oldest first, users sorted within a minute. */
  minutes: QuotaMinuteUsage[];
}

type Kind = 'read' | 'write';
type Scope = 'user' | 'project';

const HELP_LINK = {
  '@type': 'type.googleapis.com/google.rpc.Help',
  links: [{ description: 'Request a higher quota limit.', url: 'https://cloud.google.com/docs/quotas/help/request_increase' }],
};

/** Google's 429 body for a quota that ran out (message and details as Sheets sends them). */
export function quotaExceededError(kind: Kind, scope: Scope, config: QuotaConfig): PolicyError {
  const metric = kind === 'read' ? 'Read requests' : 'Write requests';
  const limitName = scope === 'user' ? `${metric} per minute per user` : `${metric} per minute`;
  const limitId = `${kind === 'read' ? 'Read' : 'Write'}RequestsPerMinutePer${scope === 'user' ? 'User' : 'Project'}`;
  const limitValue = kind === 'read' ? (scope === 'user' ? config.readPerUser : config.readPerProject) : scope === 'user' ? config.writePerUser : config.writePerProject;
  return {
    status: 429,
    googleStatus: 'RESOURCE_EXHAUSTED',
    message: `Quota exceeded for quota metric '${metric}' and limit '${limitName}' of service 'sheets.googleapis.com' for consumer 'project_number:${config.projectNumber}'.`,
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: {
          quota_limit: limitId,
          quota_metric: `sheets.googleapis.com/${kind}_requests`,
          quota_location: 'global',
          quota_unit: scope === 'user' ? '1/min/{project}/{user}' : '1/min/{project}',
          service: 'sheets.googleapis.com',
          consumer: `projects/${config.projectNumber}`,
          quota_limit_value: String(limitValue),
        },
      },
      HELP_LINK,
    ],
    reason: 'RATE_LIMIT_EXCEEDED',
  };
}

interface Counts {
  reads: number;
  writes: number;
  rejected: number;
}

/** Per-minute request counters with Google's limits; counts even when limits are off, for the stats. */
export class QuotaTracker {
  /** minute → user → counts. */
  private readonly windows = new Map<number, Map<string, Counts>>();
  /** Epoch ms where minute 0 starts (default 0: minutes aligned to the clock's). */
  private originMs = 0;

  constructor(private limits: QuotaConfig | null) {}

  /** Admit one request of `kind` for `user` at `nowMs`: null when it may run (and it is counted), else the 429 error. */
  admit(kind: Kind, user: string, nowMs: number): PolicyError | null {
    const minute = Math.floor((nowMs - this.originMs) / 60_000);
    const users = this.window(minute);
    let mine = users.get(user);
    if (!mine) {
      mine = { reads: 0, writes: 0, rejected: 0 };
      users.set(user, mine);
    }
    const field = kind === 'read' ? 'reads' : 'writes';
    if (this.limits) {
      const userLimit = kind === 'read' ? this.limits.readPerUser : this.limits.writePerUser;
      const projectLimit = kind === 'read' ? this.limits.readPerProject : this.limits.writePerProject;
      let projectUsed = 0;
      for (const counts of users.values()) projectUsed += counts[field];
      // The user's own limit is checked first: it is the one a single service account hits.
      const scope: Scope | null = mine[field] >= userLimit ? 'user' : projectUsed >= projectLimit ? 'project' : null;
      if (scope) {
        mine.rejected += 1;
        return quotaExceededError(kind, scope, this.limits);
      }
    }
    mine[field] += 1;
    return null;
  }

  /** Use per minute and user over the last USAGE_MINUTES minutes that saw calls. */
  usage(): QuotaUsage {
    const minutes: QuotaMinuteUsage[] = [];
    for (const minute of [...this.windows.keys()].sort((a, b) => a - b)) {
      const users = this.windows.get(minute)!;
      for (const user of [...users.keys()].sort()) {
        const c = users.get(user)!;
        minutes.push({ minute, startsAt: new Date(this.originMs + minute * 60_000).toISOString(), user, reads: c.reads, writes: c.writes, rejected: c.rejected });
      }
    }
    return { limits: this.limits ? { ...this.limits } : 'off', minutes };
  }

  /** The active limits, or null when off. */
  get config(): QuotaConfig | null {
    return this.limits;
  }

  /** Change the limits; the current minute's counts stay. */
  setConfig(limits: QuotaConfig | null): void {
    this.limits = limits;
  }

  /** Forget every window (a new run). */
  clear(): void {
    this.windows.clear();
  }

  /** Forget every window and count minutes from `originMs` on. */
  restart(originMs: number): void {
    this.windows.clear();
    this.originMs = originMs;
  }

  private window(minute: number): Map<string, Counts> {
    let users = this.windows.get(minute);
    if (!users) {
      users = new Map();
      this.windows.set(minute, users);
      for (const old of this.windows.keys()) if (old <= minute - USAGE_MINUTES) this.windows.delete(old);
    }
    return users;
  }
}
