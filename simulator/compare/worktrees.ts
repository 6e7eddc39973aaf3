/**
 * Temporary git worktrees of the refs `sheetsim compare` measures. Each is removed when the comparison ends —
 * normally, on an error, on Ctrl-C, and (synchronously, from an exit handler) when a second Ctrl-C makes the
 * process exit at once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';

export interface Worktree {
  /** The ref as the user gave it. */
  ref: string;
  /** The full commit it resolved to. */
  commit: string;
  dir: string;
}

const git = (repo: string, args: string[]): string => execFileSync('git', args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();

/** The top folder of the git repository holding `cwd`; exit-2 error when there is none. */
export function repoRoot(cwd: string): string {
  try {
    return git(cwd, ['rev-parse', '--show-toplevel']);
  } catch {
    throw new InputError(`${cwd} is not inside a git repository: compare checks out two refs of the repository in the current folder`);
  }
}

/** Resolve a ref (branch, tag, sha, HEAD~1) to a full commit; exit-2 error naming the ref when git cannot. */
export function resolveRef(repo: string, ref: string): string {
  try {
    return git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new InputError(`'${ref}' is not a commit of the repository at ${repo} (git rev-parse could not resolve it)`);
  }
}

/** The worktrees one comparison made, removed together. */
export class Worktrees {
  private readonly made: Worktree[] = [];
  private readonly onExit = () => this.removeAll();

  constructor(private readonly repo: string) {
    process.on('exit', this.onExit);
  }

  /** Check `commit` out (detached) into a fresh temporary folder. */
  add(ref: string, commit: string, label: string): Worktree {
    const dir = mkdtempSync(join(tmpdir(), `sheetsim-compare-${label}-`));
    // Registered before git runs, so a failure half-way still removes the folder.
    const wt = { ref, commit, dir };
    this.made.push(wt);
    git(this.repo, ['worktree', 'add', '--detach', '--force', dir, commit]);
    return wt;
  }

  /** Remove every worktree made (idempotent, synchronous so it also works from the exit handler). */
  removeAll(): void {
    for (const wt of this.made.splice(0)) {
      try {
        git(this.repo, ['worktree', 'remove', '--force', wt.dir]);
      } catch {
        // not registered (git failed early) or already gone: remove the folder and forget it
      }
      rmSync(wt.dir, { recursive: true, force: true });
    }
    try {
      git(this.repo, ['worktree', 'prune']);
    } catch {
      // nothing to prune
    }
    process.off('exit', this.onExit);
  }
}
