/** RFC 4180 CSV (what Google Sheets' "Download → CSV" writes): quoted fields, doubled quotes, CRLF or LF. */

/** One record and the 1-based line of the file it starts on (error messages name it). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** Parse CSV text into records; a quote left open at the end is an error naming the line it opened on. */
export function parseCsv(text: string, file = 'csv'): CsvRecord[] {
  const out: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 BOM (Excel writes one)
  const n = text.length;
  const endRecord = () => {
    cells.push(cell);
    // A blank line is no record (Sheets never writes one, editors leave one at the end).
    if (!(cells.length === 1 && cells[0] === '')) out.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && cell === '') {
      const openedOn = line;
      i += 1;
      for (;;) {
        if (i >= n) throw new Error(`${file}:${openedOn}: a quoted field is never closed`);
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (c === '\n') line += 1;
        cell += c;
        i += 1;
      }
      continue;
    }
    if (ch === ',') {
      cells.push(cell);
      cell = '';
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
    } else {
      cell += ch;
      i += 1;
    }
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return out;
}
