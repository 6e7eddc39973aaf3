import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_PREFIX, authenticate, encodeAccessToken, quotaUserOf } from '../../mock-sheets/auth.ts';
import { GoogleError } from '../../mock-sheets/errors.ts';

const jwt = (claims: object) =>
  [{ alg: 'RS256', typ: 'JWT' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2lnbmF0dXJl';

describe('quota user of a request', () => {
  const email = 'zeues-backend@zeues-prod.iam.gserviceaccount.com';
  const cases: [string, Record<string, string>, Record<string, unknown>, string | null][] = [
    ['a token from our token endpoint → its service account', { authorization: `Bearer ${encodeAccessToken(email)}` }, {}, email],
    ['any other bearer token → its first 12 characters', { authorization: 'Bearer ya29.a0AfH6SMBxyz-long-token' }, {}, 'bearer:ya29.a0AfH6S'],
    ['access_token system parameter counts as a bearer token', {}, { access_token: 'tok123' }, 'bearer:tok123'],
    ['oauth_token too', {}, { oauth_token: 'tok456' }, 'bearer:tok456'],
    ['a self-signed service-account JWT → its iss', { authorization: `Bearer ${jwt({ iss: email, aud: 'https://sheets.googleapis.com/' })}` }, {}, email],
    ['a JWT without iss → its first 12 characters', { authorization: `Bearer ${jwt({ sub: 'x' })}` }, {}, `bearer:${jwt({ sub: 'x' }).slice(0, 12)}`],
    ['an API key', {}, { key: 'AIzaFake' }, 'key:AIzaFake'],
    ['a bearer token wins over a key', { authorization: 'Bearer abc' }, { key: 'k' }, 'bearer:abc'],
    ['nothing', {}, {}, null],
    ['an empty Bearer header is nothing', { authorization: 'Bearer ' }, {}, null],
  ];
  for (const [name, headers, query, expected] of cases) {
    it(name, () => expect(quotaUserOf(headers, query)).toBe(expected));
  }

  it('tokens carry the prefix the token endpoint and the server agree on', () => {
    expect(encodeAccessToken(email).startsWith(ACCESS_TOKEN_PREFIX)).toBe(true);
  });

  it('requires credentials unless auth is none', () => {
    expect(authenticate('none', {}, {})).toBe('anonymous');
    expect(authenticate('none', {}, { key: 'k' })).toBe('key:k');
    try {
      authenticate('required', {}, {});
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GoogleError);
      expect((err as GoogleError).code).toBe(401);
      expect((err as GoogleError).status).toBe('UNAUTHENTICATED');
    }
  });
});
