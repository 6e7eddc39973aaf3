/** The embedded target's own process: it serves the mock and the backend, is measured on its own, and goes away. */
import { afterEach, describe, expect, it } from 'vitest';
import { type EmbeddedChild, spawnEmbedded } from '../../simulator/replay/embedded-child.ts';
import { smallEmbeddedSettings } from './embedded-settings.ts';

const settings = smallEmbeddedSettings('realtime');

let child: EmbeddedChild | null = null;
afterEach(async () => {
  await child?.stop();
  child = null;
});

describe('the embedded target in a child process', () => {
  it('serves the backend and the mock from another process, whose memory is its own, and stops', async () => {
    child = await spawnEmbedded(settings, 60_000);
    expect(child.pid).not.toBe(process.pid);
    const health = await fetch(`${child.url}/api/health`);
    expect(health.status).toBe(200);
    const mock = (await (await fetch(`${child.sheetsUrl}/__sheetsim/health`)).json()) as { spreadsheetId: string };
    expect(mock.spreadsheetId).toBe(child.spreadsheetId);
    expect(child.rssMb()).toBeGreaterThan(10);
    expect(child.died()).toBeNull();
    const url = child.url!;
    await child.stop();
    child = null;
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });

  it('starts the mock alone for a --target-cmd backend', async () => {
    child = await spawnEmbedded({ ...settings, backendProfile: null }, 60_000);
    expect(child.url).toBeNull();
    expect((await fetch(`${child.sheetsUrl}/__sheetsim/health`)).status).toBe(200);
  });

  it('reports its death when it is killed', async () => {
    child = await spawnEmbedded(settings, 60_000);
    process.kill(child.pid, 'SIGKILL');
    for (let i = 0; i < 100 && child.died() === null; i++) await new Promise((r) => setTimeout(r, 50));
    expect(child.died()).toBe('embedded target exited (signal SIGKILL)');
  });
});
