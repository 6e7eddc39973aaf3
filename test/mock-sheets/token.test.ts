import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { auth, sheets } from '@googleapis/sheets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMockSheets } from '../../mock-sheets/app.ts';
import { encodeAccessToken } from '../../mock-sheets/auth.ts';
import { writeFakeCredentials } from '../../mock-sheets/credentials.ts';
import { registerTokenRoutes } from '../../mock-sheets/routes/token.ts';
import type { WorkbookSpec } from '../../mock-sheets/workbook.ts';

const EMAIL = 'backend@zeues-prod.iam.gserviceaccount.com';
const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (payload: unknown) => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}.c2lnbmF0dXJl`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('POST /token (bare Fastify)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    registerTokenRoutes(app);
    // A JSON route beside it proves the form parser stays encapsulated.
    app.post('/json', async (req) => ({ got: req.body }));
    await app.ready();
  });
  afterAll(() => app.close());

  it('answers a JWT-bearer grant with a token bound to the iss email, without checking the signature', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ grant_type: GRANT, assertion: jwt({ iss: EMAIL, scope: 'https://www.googleapis.com/auth/spreadsheets' }) }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ access_token: encodeAccessToken(EMAIL), token_type: 'Bearer', expires_in: 3600 });
    expect(res.json().access_token).toMatch(/^ya29\.sheetsim\./);
  });

  it.each([
    [{ grant_type: 'client_credentials', assertion: 'x.y.z' }, /grant_type must be urn:ietf:params:oauth:grant-type:jwt-bearer/],
    [{ grant_type: GRANT }, /assertion is missing/],
    [{ grant_type: GRANT, assertion: 'not-a-jwt' }, /not a JWT/],
    [{ grant_type: GRANT, assertion: 'a.%%%.c' }, /not base64url-encoded JSON/],
    [{ grant_type: GRANT, assertion: jwt({ sub: 'x' }) }, /no iss/],
  ])('rejects a malformed grant %j with OAuth invalid_grant', async (fields, message) => {
    const res = await app.inject({ method: 'POST', url: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(fields) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: expect.stringMatching(message) });
  });

  it('keeps the form parser local to /token', async () => {
    const res = await app.inject({ method: 'POST', url: '/json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' });
    expect(res.statusCode).toBe(415);
  });
});

describe('google-auth-library against the mock', () => {
  const workbook: WorkbookSpec = {
    spreadsheetId: 'token-test',
    title: 'token test',
    sheets: [{ title: 'Operaciones', rows: [['TAG_SPOOL', 'OT'], ['OT-001', 'ARM']] }],
  };
  let app: FastifyInstance;
  let url: string;
  let dir: string;
  let keyFile: string;

  beforeAll(async () => {
    app = await buildMockSheets({ workbook, auth: 'required' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    dir = mkdtempSync(join(tmpdir(), 'sheetsim-token-'));
    keyFile = writeFakeCredentials({ url, email: EMAIL, path: join(dir, 'sa.json') });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a service-account file google-auth-library accepts, pointing at the mock', () => {
    const sa = JSON.parse(readFileSync(keyFile, 'utf8'));
    expect(sa).toMatchObject({ type: 'service_account', client_email: EMAIL, token_uri: `${url}/token` });
    expect(sa.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('obtains a token from the mock, and a @googleapis/sheets call with it is logged with the email as quota user', async () => {
    // google-auth-library 10 posts the grant to https://oauth2.googleapis.com/token whatever token_uri says
    // (Python google-auth honours token_uri); a fetch that sends it to the mock is the documented workaround.
    const fetchImplementation = (input: string | URL | Request, init?: RequestInit) =>
      fetch(String(input) === 'https://oauth2.googleapis.com/token' ? `${url}/token` : input, init);
    const client = new auth.GoogleAuth({
      keyFile,
      scopes: ['https://www.googleapis.com/auth/spreadsheets'],
      clientOptions: { transporterOptions: { fetchImplementation } },
    });
    const token = await client.getAccessToken();
    expect(token).toBe(encodeAccessToken(EMAIL));

    const api = sheets({ version: 'v4', auth: client, rootUrl: `${url}/` });
    const res = await api.spreadsheets.values.get({ spreadsheetId: 'token-test', range: 'Operaciones!A1:B2' });
    expect(res.data.values).toEqual([['TAG_SPOOL', 'OT'], ['OT-001', 'ARM']]);

    const calls = (await (await fetch(`${url}/__sheetsim/calls`)).json()) as { calls: { method: string; quotaUser: string; status: number }[] };
    expect(calls.calls.at(-1)).toMatchObject({ method: 'values.get', quotaUser: EMAIL, status: 200 });
  });
});
