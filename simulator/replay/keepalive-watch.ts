/**
 * Telling a keep-alive race from a target failure. Servers close idle keep-alive sockets on their own schedule
 * (uvicorn after 5 s, Node's http after 5 s); a request written to such a socket just as the server closes it
 * fails with a reset before any response byte. The replayer never resends it (it may have been received, and a
 * replayed INICIAR is not idempotent): it records it as `KEEPALIVE_CLOSED`, apart from real failures. The driver
 * also closes its own idle sockets before 5 s, which makes the race rare.
 *
 * undici does not tell a request handler which socket carried the request, so the evidence comes from its
 * diagnostics channels (process-wide, published synchronously before the handler sees the error).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** A socket idle at least this long when a request was written to it counts as a keep-alive socket. */
export const KEEPALIVE_IDLE_MS = 1000;

const idleSince = new WeakMap<Socket, number>();
const keepAliveCloses = new WeakSet<object>();
// What is known of each request is kept on undici's request object under symbols: per-request WeakMap entries (three
// per event) were a visible share of the replayer's CPU at thousands of events per second.
const SOCKET = Symbol('sheetsim.socket');
const IDLE_AT_SEND = Symbol('sheetsim.idleAtSend');
const ANSWERED = Symbol('sheetsim.answered');
interface Tagged {
  [SOCKET]?: Socket;
  [IDLE_AT_SEND]?: number;
  [ANSWERED]?: boolean;
}
let installed = false;

const SOCKET_CLOSED = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/** Record when a socket opened ahead of its first request (pre-opened sockets idle before undici gets them). */
export function markSocketOpened(socket: Socket, atMs: number = performance.now()): void {
  idleSince.set(socket, atMs);
}

/** Subscribe to undici's channels once per process. */
export function watchKeepAlive(): void {
  if (installed) return;
  installed = true;
  diagnosticsChannel.subscribe('undici:client:connected', (msg) => {
    const { socket } = msg as { socket: Socket };
    if (!idleSince.has(socket)) idleSince.set(socket, performance.now());
  });
  diagnosticsChannel.subscribe('undici:client:sendHeaders', (msg) => {
    const { request, socket } = msg as { request: Tagged; socket: Socket };
    request[SOCKET] = socket;
    const since = idleSince.get(socket);
    request[IDLE_AT_SEND] = since === undefined ? 0 : performance.now() - since;
    idleSince.delete(socket); // busy until this request completes
  });
  diagnosticsChannel.subscribe('undici:request:headers', (msg) => {
    (msg as { request: Tagged }).request[ANSWERED] = true;
  });
  diagnosticsChannel.subscribe('undici:request:trailers', (msg) => {
    const socket = (msg as { request: Tagged }).request[SOCKET];
    if (socket) idleSince.set(socket, performance.now());
  });
  diagnosticsChannel.subscribe('undici:request:error', (msg) => {
    const { request, error } = msg as { request: Tagged; error: { code?: string } | null };
    if (!error || typeof error !== 'object' || request[ANSWERED]) return;
    if (SOCKET_CLOSED.has(error.code ?? '') && (request[IDLE_AT_SEND] ?? 0) >= KEEPALIVE_IDLE_MS) keepAliveCloses.add(error);
  });
}

/** Whether this request error is the server closing an idle keep-alive socket the request was written to. */
export function isKeepAliveClose(err: unknown): boolean {
  return typeof err === 'object' && err !== null && keepAliveCloses.has(err);
}
