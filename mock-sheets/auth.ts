/**
 * Credentials without Google: any Bearer token or API key is accepted; the quota user is derived from it.
 * Tokens our fake token endpoint issues carry the service account's email, so quotas are per account as at Google.
 */
import { GoogleError } from './errors.ts';

/** Prefix of the access tokens the fake OAuth token endpoint issues: `ya29.sheetsim.<base64url(email)>`. */
export const ACCESS_TOKEN_PREFIX = 'ya29.sheetsim.';

/** Access token bound to a service account's email (what the fake token endpoint answers). */
export function encodeAccessToken(email: string): string {
  return ACCESS_TOKEN_PREFIX + Buffer.from(email, 'utf8').toString('base64url');
}

type Headers = Record<string, string | string[] | undefined>;
type Query = Record<string, unknown>;

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** The bearer token of a request: `Authorization: Bearer x`, or the `access_token` / `oauth_token` system parameters. */
function bearerOf(headers: Headers, query: Query): string | undefined {
  const header = firstString(headers.authorization);
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const param = firstString(query.access_token) ?? firstString(query.oauth_token);
  return param !== undefined && param.length > 0 ? param : undefined;
}

function quotaUserOfToken(token: string): string {
  if (token.startsWith(ACCESS_TOKEN_PREFIX)) {
    const email = Buffer.from(token.slice(ACCESS_TOKEN_PREFIX.length), 'base64url').toString('utf8');
    if (email.length > 0) return email;
  }
  // A self-signed service-account JWT (what google-auth-library sends when no scopes are set) names its
  // account in `iss`; every such token starts `eyJhbGciOi…`, so its prefix would merge all accounts into one user.
  const iss = jwtIssuer(token);
  if (iss !== null) return iss;
  return `bearer:${token.slice(0, 12)}`;
}

/** The `iss` claim of a JWT (signature not checked), or null when the token is not one. */
function jwtIssuer(token: string): string | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' && payload.iss.length > 0 ? payload.iss : null;
  } catch {
    return null;
  }
}

/** Who a request counts against for quotas, or null when it carries no credential at all. */
export function quotaUserOf(headers: Headers, query: Query): string | null {
  const token = bearerOf(headers, query);
  if (token !== undefined) return quotaUserOfToken(token);
  const key = firstString(query.key);
  if (key !== undefined && key.length > 0) return `key:${key}`;
  return null;
}

/** Google's 401 for a request without credentials. */
export function unauthenticated(): GoogleError {
  return new GoogleError(
    401,
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    'CREDENTIALS_MISSING',
    'UNAUTHENTICATED',
    [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'CREDENTIALS_MISSING',
        domain: 'googleapis.com',
        metadata: { service: 'sheets.googleapis.com' },
      },
    ],
  );
}

/** The quota user of a request under the given auth mode; throws Google's 401 when credentials are required and absent. */
export function authenticate(mode: 'required' | 'none', headers: Headers, query: Query): string {
  const user = quotaUserOf(headers, query);
  if (user !== null) return user;
  if (mode === 'none') return 'anonymous';
  throw unauthenticated();
}
