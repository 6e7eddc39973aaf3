/**
 * Google API errors: the `google.rpc.Status` body every Sheets error answers with
 * (`{"error":{"code","message","status","details"}}`), plus the legacy `errors[]` array behind an option.
 */

/** Google's hard payload limit, seen in its own error text. */
export const MAX_PAYLOAD_BYTES = 10_485_760;

/** Google's per-spreadsheet cell limit (rowCount × columnCount summed over sheets). */
export const MAX_WORKBOOK_CELLS = 10_000_000;

const CANONICAL_STATUS: Record<number, string> = {
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

const LEGACY_REASON: Record<number, string> = {
  400: 'badRequest',
  401: 'required',
  403: 'forbidden',
  404: 'notFound',
  429: 'rateLimitExceeded',
  500: 'backendError',
  503: 'backendError',
};

/** An error the mock answers as Google would; `reason` is the short form kept in the call log. */
export class GoogleError extends Error {
  override name = 'GoogleError';
  constructor(
    public readonly code: number,
    message: string,
    public readonly reason: string,
    public readonly status: string = CANONICAL_STATUS[code] ?? 'UNKNOWN',
    public readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

/** A 400 INVALID_ARGUMENT with Google's message (bad range, bad enum, bad body...). */
export function badRequest(message: string, reason = 'badRequest'): GoogleError {
  return new GoogleError(400, message, reason);
}

/** Google's 404 for an unknown spreadsheet or route. */
export function notFound(): GoogleError {
  return new GoogleError(404, 'Requested entity was not found.', 'notFound');
}

/** `Invalid JSON payload received. ...`: what Google answers for a body or query parameter of the wrong shape. */
export function invalidPayload(detail: string): GoogleError {
  return badRequest(`Invalid JSON payload received. ${detail}`, 'invalidPayload');
}

/** Google's body for an error; `legacy` adds the old `errors:[{message, domain, reason}]` array gspread reads. */
export function errorBody(err: { code: number; message: string; status: string; details: unknown[] }, legacy: boolean): object {
  const error: Record<string, unknown> = { code: err.code, message: err.message };
  if (legacy) error.errors = [{ message: err.message, domain: 'global', reason: LEGACY_REASON[err.code] ?? 'backendError' }];
  error.status = err.status;
  if (err.details.length > 0) error.details = err.details;
  return { error };
}
