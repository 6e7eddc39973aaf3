/**
 * undici, loaded on first use. Its index loads ~110 modules (~0.1–0.15 s cold), and exact mode's embedded target
 * never opens a socket: its modules (http.ts, sheets-admin.ts, embedded-dispatcher.ts) import this instead, so that
 * process loads only the two files of undici it uses (`dispatcherBase`).
 */
import { createRequire } from 'node:module';

type Undici = typeof import('undici');

const require = createRequire(import.meta.url);
let loaded: Undici | null = null;

/** The whole of undici (loaded now if it was not). */
export function undici(): Undici {
  return (loaded ??= require('undici') as Undici);
}

/**
 * undici's `Dispatcher` base class with its request API (`request`, `stream`…) on the prototype, as undici's index
 * assembles it, without loading the rest. The same class object as `undici().Dispatcher` (one module cache).
 */
export function dispatcherBase(): Undici['Dispatcher'] {
  const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as Undici['Dispatcher'];
  if (!('request' in Dispatcher.prototype)) Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js'));
  return Dispatcher;
}
