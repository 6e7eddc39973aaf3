/**
 * Google's size limits on a request (body, URL) answered the way Google answers them, after the client could
 * hear it: an oversized body is read to its end before the 400 goes out, because a client that writes the whole
 * body before reading (Python's http.client, so requests and gspread) would otherwise get EPIPE/ECONNRESET
 * instead of the error.
 */
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { GoogleError, MAX_PAYLOAD_BYTES } from './errors.ts';

/**
 * Longest URL the mock serves. Google's own limit is not pinned down (docs/fidelity.md); 16 KiB is what the
 * mock allowed before (Node's default header limit), now answered with Google's 414 page instead of a bare 431.
 */
export const MAX_URL_BYTES = 16_384;

/** Node's limit on the request line + headers: large enough that a too-long URL reaches the 414 answer below. */
export const MAX_HEADER_BYTES = 1_048_576;

/** Past this many body bytes the mock stops draining and drops the connection (no client needs 64 MiB). */
export const MAX_DRAINED_BYTES = 64 * 1_048_576;

/** Google's 400 for a body over 10 MB. */
export function payloadTooLarge(): GoogleError {
  return new GoogleError(400, `Request payload size exceeds the limit: ${MAX_PAYLOAD_BYTES} bytes.`, 'payloadTooLarge');
}

/**
 * Read a request body as UTF-8 text. Over `limit` bytes it keeps reading (and discarding) to the end, then
 * rejects with Google's 400; over `drainLimit` it gives up and destroys the stream.
 */
export function readBodyText(payload: Readable, declaredLength: number, limit = MAX_PAYLOAD_BYTES, drainLimit = MAX_DRAINED_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    if (declaredLength > drainLimit) {
      payload.destroy();
      reject(payloadTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    payload.on('data', (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += buffer.length;
      if (received > drainLimit) {
        payload.destroy();
        reject(payloadTooLarge());
        return;
      }
      if (received <= limit) chunks.push(buffer);
      else chunks.length = 0;
    });
    payload.on('end', () => (received > limit ? reject(payloadTooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    payload.on('error', reject);
  });
}

/** The page Google's front end answers a too-long URL with (status 414, HTML, not the API's JSON). */
export const URL_TOO_LONG_HTML = [
  '<!DOCTYPE html>',
  '<html lang=en>',
  '  <meta charset=utf-8>',
  '  <title>Error 414 (Request-URI Too Large)!!1</title>',
  '  <p><b>414.</b> <ins>That’s an error.</ins>',
  '  <p>The requested URL is too large to process.  <ins>That’s all we know.</ins>',
  '',
].join('\n');

/** The page Google's front end answers when the request line and headers are too large as a whole. */
const REQUEST_TOO_LARGE_HTML = [
  '<!DOCTYPE html>',
  '<html lang=en>',
  '  <meta charset=utf-8>',
  '  <title>Error 413 (Request Entity Too Large)!!1</title>',
  '  <p><b>413.</b> <ins>That’s an error.</ins>',
  '  <p>Your client issued a request that was too large.  <ins>That’s all we know.</ins>',
  '',
].join('\n');

/**
 * Node's `clientError` handler: headers past MAX_HEADER_BYTES get Google's 413 page (Node would send a bare 431);
 * other malformed requests a bare 400, as Node does.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const overflow = err.code === 'HPE_HEADER_OVERFLOW';
  const body = overflow ? REQUEST_TOO_LARGE_HTML : '';
  const status = overflow ? '413 Request Entity Too Large' : '400 Bad Request';
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
