/** W3C trace context for replayed events: the trace id is derived from the event's seq, so calls map back to it. */

// 'sheetsim' in ASCII hex: a recognisable, never-all-zero prefix for the 32-hex trace id.
const PREFIX = '73686565747369 6d'.replace(' ', '');

/** The 32-hex trace id of event `seq`. */
export function traceIdForSeq(seq: number): string {
  return PREFIX + seq.toString(16).padStart(16, '0');
}

/** The seq a trace id was derived from, or null when it is not one of ours. */
export function seqFromTraceId(traceId: string | undefined | null): number | null {
  if (!traceId || traceId.length !== 32 || !traceId.startsWith(PREFIX)) return null;
  const seq = Number.parseInt(traceId.slice(16), 16);
  return Number.isSafeInteger(seq) ? seq : null;
}

/** The `traceparent` header value for event `seq` (span id seq + 1, sampled). */
export function traceparentForSeq(seq: number): string {
  return `00-${traceIdForSeq(seq)}-${(seq + 1).toString(16).padStart(16, '0')}-01`;
}
