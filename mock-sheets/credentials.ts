/** Fake service-account key files whose `token_uri` points at the mock, so Google auth code runs unchanged. */
import { generateKeyPairSync, createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The email `sheetsim credentials` uses when none is given. */
export const DEFAULT_SERVICE_ACCOUNT_EMAIL = 'sheetsim@sheetsim-local.iam.gserviceaccount.com';

export interface FakeCredentialsOptions {
  /** Base URL of the mock, e.g. `http://127.0.0.1:8090`. */
  url: string;
  email?: string;
  /** Where to write the JSON key file. */
  path: string;
}

/** The token endpoint root for a mock URL; throws naming `url` or `email` when either is malformed. */
export function checkCredentialsInput(url: string, email: string): string {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new Error(`url: expected the mock's base URL such as http://127.0.0.1:8090, got ${JSON.stringify(url)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`url: expected an http(s) URL, got ${JSON.stringify(url)}`);
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error(`email: expected a service account email, got ${JSON.stringify(email)}`);
  return base.toString().replace(/\/+$/, '');
}

/** The JSON content of a service-account key file as Google Cloud issues it, with a fresh real RSA key. */
export function fakeServiceAccount(url: string, email: string = DEFAULT_SERVICE_ACCOUNT_EMAIL): Record<string, string> {
  const root = checkCredentialsInput(url, email);
  const project = /@([^.]+)\./.exec(email)?.[1] ?? 'sheetsim-local';
  // A real key (google-auth-library signs with it before sending the grant); the mock never checks the signature.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const digest = createHash('sha256').update(email).digest('hex');
  return {
    type: 'service_account',
    project_id: project,
    private_key_id: createHash('sha1').update(privateKey).digest('hex'),
    private_key: privateKey,
    client_email: email,
    client_id: BigInt(`0x${digest.slice(0, 16)}`).toString().padStart(21, '1').slice(0, 21),
    auth_uri: `${root}/auth`,
    token_uri: `${root}/token`,
    auth_provider_x509_cert_url: `${root}/certs`,
    client_x509_cert_url: `${root}/certs/${encodeURIComponent(email)}`,
    universe_domain: 'googleapis.com',
  };
}

/** Write a fake service-account JSON atomically (temp file + rename) and return its absolute path. */
export function writeFakeCredentials(options: FakeCredentialsOptions): string {
  const target = resolve(options.path);
  const json = JSON.stringify(fakeServiceAccount(options.url, options.email), null, 2) + '\n';
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, json, { mode: 0o600 });
  renameSync(temp, target);
  return target;
}
