/** `sheetsim adapter python`: the environment it prints, and its refusals. */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';
import { PYTHON_ADAPTER_DIR, pythonAdapterEnv } from '../../simulator/replay/python-adapter.ts';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { env });

describe('sheetsim adapter python', () => {
  it('prints PYTHONPATH (the shipped sitecustomize folder first) and SHEETSIM_SHEETS_URL', async () => {
    expect(existsSync(join(PYTHON_ADAPTER_DIR, 'sitecustomize.py'))).toBe(true);
    const res = await run(['adapter', 'python', '--url', 'http://127.0.0.1:8090/'], { PYTHONPATH: `/opt/lib${delimiter}${PYTHON_ADAPTER_DIR}` });
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`PYTHONPATH=${PYTHON_ADAPTER_DIR}${delimiter}/opt/lib\nSHEETSIM_SHEETS_URL=http://127.0.0.1:8090\n`);
  });

  it('--export quotes values for eval in a POSIX shell', async () => {
    const res = await run(['adapter', 'python', '--url', 'http://127.0.0.1:8090', '--export'], { PYTHONPATH: "/a b/it's" });
    expect(res.stdout).toContain(`export PYTHONPATH='${PYTHON_ADAPTER_DIR}${delimiter}/a b/it'\\''s'\n`);
    expect(res.stdout).toContain('export SHEETSIM_SHEETS_URL=http://127.0.0.1:8090\n');
  });

  it.each([
    [['adapter'], /name the language/],
    [['adapter', 'ruby', '--url', 'http://127.0.0.1:8090'], /no adapter for 'ruby' \(available: python\)/],
    [['adapter', 'python'], /--url is required/],
    [['adapter', 'python', '--url', 'not a url'], /--url: expected the mock's base URL/],
  ])('%j exits 2 with one line', async (args, message) => {
    const res = await run(args as string[]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message as RegExp);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('pythonAdapterEnv keeps an inherited PYTHONPATH after the adapter, once', () => {
    expect(pythonAdapterEnv('http://m/', '').PYTHONPATH).toBe(PYTHON_ADAPTER_DIR);
    expect(pythonAdapterEnv('http://m', `x${delimiter}${PYTHON_ADAPTER_DIR}`)).toEqual({ PYTHONPATH: `${PYTHON_ADAPTER_DIR}${delimiter}x`, SHEETSIM_SHEETS_URL: 'http://m' });
  });
});
