/** Errors from the Sheets API, parsed from Google's error body into one typed shape. */

/** A failed Sheets call: HTTP status (0 when no response came back), Google's canonical status and reason. */
export class SheetsApiError extends Error {
  override name = 'SheetsApiError';
  constructor(
    readonly status: number,
    readonly googleStatus: string,
    message: string,
    /** `details[].reason` (e.g. RATE_LIMIT_EXCEEDED) or legacy `errors[].reason`, else the canonical status. */
    readonly reason: string,
    /** The `Retry-After` header in seconds, when the server sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** True for the statuses a well-behaved client backs off on (429 quota, 503 unavailable, no response). */
  get transient(): boolean {
    return this.status === 429 || this.status === 503 || this.status === 0;
  }
}

const CANONICAL: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Build a SheetsApiError from a non-2xx response's status, body text and Retry-After header. */
export function parseSheetsError(status: number, bodyText: string, retryAfter?: string | string[]): SheetsApiError {
  let googleStatus = CANONICAL[status] ?? (status >= 500 ? 'UNKNOWN' : 'FAILED_PRECONDITION');
  let message = bodyText.slice(0, 300) || `HTTP ${status}`;
  let reason = '';
  try {
    const parsed = JSON.parse(bodyText) as { error?: { message?: unknown; status?: unknown; details?: unknown; errors?: unknown } };
    const err = parsed.error;
    if (err && typeof err === 'object') {
      if (typeof err.message === 'string') message = err.message;
      if (typeof err.status === 'string') googleStatus = err.status;
      for (const list of [err.details, err.errors]) {
        if (!reason && Array.isArray(list)) {
          const withReason = list.find((d) => d && typeof d === 'object' && typeof (d as { reason?: unknown }).reason === 'string');
          if (withReason) reason = (withReason as { reason: string }).reason;
        }
      }
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the raw text as the message.
  }
  const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  const seconds = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
  return new SheetsApiError(status, googleStatus, message, reason || googleStatus, seconds);
}

/** A SheetsApiError for a call that got no HTTP response (refused, reset, dropped). */
export function networkError(cause: unknown): SheetsApiError {
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new SheetsApiError(0, 'UNAVAILABLE', `No response from the Sheets API (${text})`, 'NETWORK');
}
