/** OAuth for a Google service account: a self-signed RS256 JWT exchanged at `token_uri` (the JWT-bearer grant). */
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadUndici } from './undici.ts';

/** The fields of a service-account key file that the token flow needs. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  token_uri: string;
}

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

/** Read and check a service-account JSON file; errors name the file and the missing field. */
export function readServiceAccountFile(file: string): ServiceAccountKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read service-account JSON (${(err as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object') throw new Error(`${file}: expected a JSON object`);
  const obj = parsed as Record<string, unknown>;
  for (const field of ['client_email', 'private_key', 'token_uri'] as const) {
    if (typeof obj[field] !== 'string' || obj[field] === '') throw new Error(`${file}: field '${field}' must be a non-empty string`);
  }
  return { client_email: obj.client_email as string, private_key: obj.private_key as string, token_uri: obj.token_uri as string };
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** The signed assertion for the JWT-bearer grant (RFC 7523), valid for one hour from `nowSeconds`. */
export function signJwtAssertion(key: ServiceAccountKey, nowSeconds: number, scope: string = SHEETS_SCOPE): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = b64url(JSON.stringify({ iss: key.client_email, scope, aud: key.token_uri, iat: nowSeconds, exp: nowSeconds + 3600 }));
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${claims}`);
  return `${header}.${claims}.${b64url(signer.sign(key.private_key))}`;
}

/** Fetches and caches access tokens for one service account; refreshes a minute before expiry. */
export class ServiceAccountTokens {
  private cached: { token: string; expiresAtMs: number } | null = null;
  private pending: Promise<string> | null = null;
  /** Token fetches made (each one is an OAuth round-trip, not a Sheets quota call). */
  fetches = 0;

  /** `wallNow` is wall time: token lifetimes are real even when requests carry a simulated clock. */
  constructor(
    private readonly key: ServiceAccountKey,
    private readonly wallNow: () => number = Date.now,
  ) {}

  /** A valid access token, fetching a new one only when the cached one is about to expire. */
  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAtMs - 60_000 > this.wallNow()) return this.cached.token;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const now = this.wallNow();
    const assertion = signJwtAssertion(this.key, Math.floor(now / 1000));
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
    this.fetches += 1;
    const res = await loadUndici().request(this.key.token_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`token endpoint ${this.key.token_uri} answered ${res.statusCode}: ${text.slice(0, 200)}`);
    const parsed = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
    if (typeof parsed.access_token !== 'string') throw new Error(`token endpoint ${this.key.token_uri} returned no access_token`);
    const expiresIn = typeof parsed.expires_in === 'number' ? parsed.expires_in : 3600;
    this.cached = { token: parsed.access_token, expiresAtMs: now + expiresIn * 1000 };
    return parsed.access_token;
  }
}
