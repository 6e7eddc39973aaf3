/** How an error at the top of a command becomes an exit code and one line (simulator/cli/failure.ts). */
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../simulator/cli/failure.ts';
import { InputError, UsageError } from '../../simulator/errors.ts';
import { TraceError } from '../../simulator/trace/error.ts';

const sysError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

describe('describeFailure', () => {
  it('bad usage and bad input exit 2 with their whole message on one line', () => {
    expect(describeFailure(new UsageError('--seed expects a whole number'))).toEqual({ exitCode: 2, message: '--seed expects a whole number' });
    expect(describeFailure(new InputError('a.json: bad\n  /x: y'))).toEqual({ exitCode: 2, message: 'a.json: bad /x: y' });
    expect(describeFailure(new TraceError('t.jsonl', 3, 't', 'expected a number'))).toEqual({ exitCode: 2, message: 't.jsonl:3: expected a number' });
  });

  it('an unusable environment exits 2, naming the address from the error or its cause', () => {
    expect(describeFailure(sysError('EADDRINUSE', 'listen EADDRINUSE: address already in use 127.0.0.1:8000'))).toEqual({
      exitCode: 2,
      message: 'listen EADDRINUSE: address already in use 127.0.0.1:8000',
    });
    const fetchFailed = new TypeError('fetch failed', { cause: sysError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9') });
    expect(describeFailure(fetchFailed)).toEqual({ exitCode: 2, message: 'fetch failed: connect ECONNREFUSED 127.0.0.1:9' });
  });

  it('anything else is a bug: exit 1, one line that points at --debug', () => {
    const f = describeFailure(new RangeError('index out of range\n    at foo (x.js:1:1)'));
    expect(f.exitCode).toBe(1);
    expect(f.message).toBe('internal error: RangeError: index out of range (run again with --debug for the stack trace)');
    expect(describeFailure('a string').message).toContain('a string');
  });
});
