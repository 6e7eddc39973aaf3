/**
 * Fake OAuth 2.0 token endpoint (`POST /token`): accepts the service-account JWT-bearer grant without checking
 * the signature and answers an access token bound to the account's email, so quotas are per account.
 */
import type { FastifyInstance } from 'fastify';
import { encodeAccessToken } from '../auth.ts';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Lifetime announced for issued tokens, as Google does (the mock itself never expires them). */
export const TOKEN_LIFETIME_S = 3600;

type TokenAnswer =
  | { ok: true; email: string }
  | { ok: false; description: string };

/** The service account email (`iss`) of a JWT-bearer grant, or why the grant is malformed. */
export function readJwtBearerGrant(form: Record<string, string>): TokenAnswer {
  if (form.grant_type !== JWT_BEARER_GRANT) {
    return { ok: false, description: `grant_type must be ${JWT_BEARER_GRANT}, got ${JSON.stringify(form.grant_type ?? null)}` };
  }
  const assertion = form.assertion;
  if (!assertion) return { ok: false, description: 'assertion is missing' };
  const parts = assertion.split('.');
  if (parts.length !== 3) return { ok: false, description: 'assertion is not a JWT (expected header.payload.signature)' };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, description: 'assertion payload is not base64url-encoded JSON' };
  }
  const iss = (payload as { iss?: unknown } | null)?.iss;
  if (typeof iss !== 'string' || iss.length === 0) return { ok: false, description: 'assertion payload has no iss (the service account email)' };
  return { ok: true, email: iss };
}

/** Register `POST /token` in its own encapsulated scope (the form-urlencoded parser stays local to it). */
export function registerTokenRoutes(app: FastifyInstance): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.post('/token', async (request, reply) => {
      const body = request.body;
      const form = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const strings: Record<string, string> = {};
      for (const [k, v] of Object.entries(form)) if (typeof v === 'string') strings[k] = v;
      const grant = readJwtBearerGrant(strings);
      if (!grant.ok) return reply.code(400).send({ error: 'invalid_grant', error_description: grant.description });
      return reply.header('cache-control', 'no-store').send({
        access_token: encodeAccessToken(grant.email),
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_S,
      });
    });
  });
}
