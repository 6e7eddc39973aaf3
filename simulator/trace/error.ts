/** A problem in a trace file, located by file, line and field so the user can open the file and fix it. */
export class TraceError extends Error {
  override name = 'TraceError';
  readonly file: string;
  /** 1-based line number, when the problem is on one line. */
  readonly line: number | undefined;
  /** The offending field, e.g. `t` or `req.path`. */
  readonly field: string | undefined;

  constructor(file: string, line: number | undefined, field: string | undefined, detail: string) {
    super(line === undefined ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
    this.file = file;
    this.line = line;
    this.field = field;
  }
}
