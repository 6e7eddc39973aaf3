// What the README's examples write into the project folder must not show up as changes to commit.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const inGit = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, encoding: 'utf8' }).stdout.trim() === 'true';

describe.skipIf(!inGit)('.gitignore', () => {
  it("ignores README §5's base/, head/, diff.md, diff.html and the credentials file, in the project root only", () => {
    const paths = ['base/report.json', 'head/events.jsonl', 'diff.md', 'diff.html', 'sheetsim-service-account.json', 'reports/x/report.json', 'traces/a.jsonl'];
    const r = spawnSync('git', ['check-ignore', '--no-index', ...paths], { cwd: root, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toEqual(paths);
    expect(spawnSync('git', ['check-ignore', '--no-index', 'docs/diff.md', 'test/base/x.ts'], { cwd: root }).status).toBe(1);
  });
});
