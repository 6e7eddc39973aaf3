/** Status classes reports group by. */
import type { StatusClass } from '../report/model.ts';

/** The class of an HTTP status; transport failures (null) are `error`. */
export function statusClass(status: number | null): StatusClass {
  if (status === null) return 'error';
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status >= 300) return '3xx';
  return '2xx';
}
