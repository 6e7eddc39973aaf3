/** The embedded child started at the CLI's entry: taken by the run's target, or let go quietly. */
import { afterEach, describe, expect, it } from 'vitest';
import { type EmbeddedChild, spawnEmbedded } from '../../simulator/replay/embedded-child.ts';
import { prespawnEmbedded, releasePrespawned, runWantsEmbedded, takePrespawned } from '../../simulator/replay/embedded-prespawn.ts';
import { smallEmbeddedSettings } from './embedded-settings.ts';

const settings = smallEmbeddedSettings('exact');

let child: EmbeddedChild | null = null;
afterEach(async () => {
  releasePrespawned();
  await child?.stop();
  child = null;
});

describe('runWantsEmbedded', () => {
  it('is true for a run without a target flag, whatever else it has', () => {
    expect(runWantsEmbedded(['run'])).toBe(true);
    expect(runWantsEmbedded(['run', '--mode', 'exact', 'traces/t.jsonl'])).toBe(true);
    expect(runWantsEmbedded(['run', '--mode=exact', '--', '--target'])).toBe(true);
  });

  it('is false for other commands, a --target/--target-cmd run, --reproduce and --help', () => {
    expect(runWantsEmbedded(['compare'])).toBe(false);
    expect(runWantsEmbedded([])).toBe(false);
    expect(runWantsEmbedded(['run', '--target', 'http://127.0.0.1:1'])).toBe(false);
    expect(runWantsEmbedded(['run', '--target=http://127.0.0.1:1'])).toBe(false);
    expect(runWantsEmbedded(['run', '--target-cmd', 'x'])).toBe(false);
    expect(runWantsEmbedded(['run', '--reproduce', 'reports/x'])).toBe(false);
    expect(runWantsEmbedded(['run', '-h'])).toBe(false);
    expect(runWantsEmbedded(['run', '--help'])).toBe(false);
  });
});

describe('the prespawned embedded child', () => {
  it('is the process spawnEmbedded starts the servers in, once its settings arrive', async () => {
    const early = prespawnEmbedded();
    child = await spawnEmbedded(settings, 60_000);
    expect(child.pid).toBe(early.pid);
    expect((await fetch(`${child.url}/api/health`)).status).toBe(200);
    const mock = (await (await fetch(`${child.sheetsUrl}/__sheetsim/health`)).json()) as { spreadsheetId: string; clock: { mode: string } };
    expect(mock.spreadsheetId).toBe(child.spreadsheetId);
    expect(mock.clock.mode).toBe('virtual');
    // Taken once: the next target gets a process of its own.
    expect(takePrespawned()).toBeNull();
  });

  it('exits with code 0 and says nothing when let go before its settings', async () => {
    const early = prespawnEmbedded();
    let stderr = '';
    early.stderr!.setEncoding('utf8');
    early.stderr!.on('data', (c: string) => (stderr += c));
    const exit = new Promise<number | null>((resolve) => early.once('exit', (code) => resolve(code)));
    releasePrespawned();
    expect(await exit).toBe(0);
    expect(stderr).toBe('');
    expect(takePrespawned()).toBeNull();
  });

  it('is not taken once it died: spawnEmbedded starts a fresh one', async () => {
    const early = prespawnEmbedded();
    const exit = new Promise<void>((resolve) => early.once('exit', () => resolve()));
    early.kill('SIGKILL');
    await exit;
    child = await spawnEmbedded(settings, 60_000);
    expect(child.pid).not.toBe(early.pid);
    expect((await fetch(`${child.url}/api/health`)).status).toBe(200);
  });
});
