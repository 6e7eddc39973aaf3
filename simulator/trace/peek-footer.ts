/** The footer of an existing trace file, read from its last line only (no validation of the events). */
import { open } from 'node:fs/promises';

/** `{ sha256, events }` from the file's last line, or null when that line is not a trace footer (or unreadable). */
export async function peekFooter(path: string): Promise<{ sha256: string; events: number } | null> {
  try {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const len = Math.min(size, 4096);
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, size - len);
      const last = buf.toString('utf8').trimEnd().split('\n').pop() ?? '';
      const f = JSON.parse(last) as { end?: boolean; sha256?: unknown; events?: unknown };
      return f.end === true && typeof f.sha256 === 'string' && typeof f.events === 'number' ? { sha256: f.sha256, events: f.events } : null;
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
}
