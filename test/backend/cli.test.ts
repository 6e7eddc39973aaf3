import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../simulator/cli/main.ts';
import { startPair } from './harness.ts';
import type { Pair } from './harness.ts';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.close();
});

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => (text += String(d)));
  return { stream, text: () => text };
}

describe('sheetsim backend', () => {
  it('exits 2 naming the flag and the environment variable when the sheets URL or spreadsheet id is missing', async () => {
    const err = capture();
    expect(await main(['backend'], { stderr: err.stream, env: {} })).toBe(2);
    expect(err.text()).toMatch(/--sheets-url is required \(or set SHEETS_API_URL\)/);
    const err2 = capture();
    expect(await main(['backend', '--sheets-url', pair.mockUrl], { stderr: err2.stream, env: {} })).toBe(2);
    expect(err2.text()).toMatch(/--spreadsheet-id is required \(or set SPREADSHEET_ID\)/);
    const err3 = capture();
    expect(await main(['backend', '--profile', 'fast'], { stderr: err3.stream, env: {} })).toBe(2);
    expect(err3.text()).toMatch(/--profile must be one of lean, zeues/);
  });

  it('refuses to start without a Sheets credential, in one line naming the flags and variables', async () => {
    const err = capture();
    const out = capture();
    const args = ['backend', '--port', '0', '--sheets-url', pair.mockUrl, '--spreadsheet-id', 'backend-test'];
    expect(await main(args, { stdout: out.stream, stderr: err.stream, env: {} })).toBe(2);
    expect(err.text()).toBe(
      'sheetsim backend: no Sheets credential: pass --credentials FILE (or set GOOGLE_APPLICATION_CREDENTIALS), --api-key K (or set SHEETS_API_KEY) or --token T\n',
    );
    expect(out.text()).not.toContain('listening');
  });

  it('starts from environment variables only, prints where it listens, serves, and stops on the signal', async () => {
    const out = capture();
    const controller = new AbortController();
    const env = { PORT: '0', SHEETS_API_URL: pair.mockUrl, SPREADSHEET_ID: 'backend-test', BACKEND_PROFILE: 'zeues', SHEETS_API_KEY: 'sheetsim' };
    const running = main(['backend'], { stdout: out.stream, stderr: out.stream, env, signal: controller.signal });
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /listening: (http:\/\/\S+)/.exec(out.text())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 25));
    }
    expect(url).toBeDefined();
    expect(out.text()).toContain('profile zeues');
    const res = await fetch(`${url}/api/health`);
    expect(await res.json()).toMatchObject({ status: 'healthy', profile: 'zeues' });
    controller.abort();
    expect(await running).toBe(0);
  });
});
