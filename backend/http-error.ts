/** An HTTP answer other than 200, carrying the exact body the contract gives for it. */

/** Thrown by the service; the app turns it into the response as is. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'detail' in body ? JSON.stringify((body as { detail: unknown }).detail) : `HTTP ${status}`);
  }
}

/** `{"detail": "<text>"}` with a status (FastAPI's HTTPException with a string detail). */
export function detailError(status: number, detail: string): HttpError {
  return new HttpError(status, { detail });
}

/** `{"detail": {"error": CODE, "message": ..., ...extra}}` (HTTPException with a dict detail). */
export function codedError(status: number, error: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, { detail: { error, message, ...extra } }, headers);
}
