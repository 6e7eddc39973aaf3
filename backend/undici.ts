/**
 * undici, loaded on first use: a backend handed a dispatcher (sheetsim's exact mode) and without a service account
 * never opens a socket, and undici's index is ~110 modules (~0.1 s cold).
 */
import { createRequire } from 'node:module';

let loaded: typeof import('undici') | null = null;

export function loadUndici(): typeof import('undici') {
  return (loaded ??= createRequire(import.meta.url)('undici') as typeof import('undici'));
}
