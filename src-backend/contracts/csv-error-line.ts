/**
 * The line where the field a CSV parser gave up on starts, for the CLI's and the console's
 * import messages. csv-parse reports the line it was reading when it gave up: for a quote that
 * is never closed, that is the end of the file, far from the field an admin has to fix. Pure
 * text work, so both the CLI and the renderer use this one copy.
 */
export interface CsvErrorPosition {
  readonly code?: string;
  /** the line csv-parse was on */
  readonly lines?: number;
  /** the record's text up to the error (parse with `raw: true`) */
  readonly raw?: string;
  /** the field's index in its record */
  readonly index?: number;
}

/**
 * @param text the text as parsed, with LF line ends (csv-parse miscounts lines in quoted CRLF)
 * @returns the 1-based line, or null when the error carries no position
 */
export function csvErrorLine(text: string, err: CsvErrorPosition): number | null {
  if (typeof err.lines !== 'number') return null;
  const raw = err.raw;
  if (typeof raw !== 'string') return err.lines;
  const fieldAt = fieldStart(raw, err.index ?? 0);
  // A quote never closed runs to the end of the file: the record is the file's tail.
  if (err.code === 'CSV_QUOTE_NOT_CLOSED' && text.endsWith(raw)) {
    return 1 + newlines(text.slice(0, text.length - raw.length + fieldAt));
  }
  return err.lines - newlines(raw.slice(fieldAt));
}

function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Where field `index` of a record's raw text starts: after `index` commas outside quotes. */
function fieldStart(raw: string, index: number): number {
  let first = 0;
  while (raw[first] === '\n') first++; // the empty lines before a record come with it
  let field = 0;
  let quoted = false;
  for (let i = first; i < raw.length && field < index; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted && ++field === index) return i + 1;
  }
  return first;
}

/**
 * The line each field of a record starts on, so a problem in one field points at that field's
 * line even when an earlier quoted field spans several lines.
 * @param raw the record's text as csv-parse gives it with `raw: true` (LF line ends)
 * @param endLine csv-parse's `info.lines` for the record: the line it ends on
 */
export function fieldStartLines(raw: string, endLine: number): number[] {
  let first = 0;
  while (raw[first] === '\n') first++;
  const body = raw.slice(first).replace(/\n$/, '');
  const startLine = endLine - newlines(body);
  const lines = [startLine];
  let line = startLine;
  let quoted = false;
  for (const ch of body) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n') line++;
    else if (ch === ',' && !quoted) lines.push(line);
  }
  return lines;
}
