import { parse } from 'csv-parse/sync';
import { clip, ValidationFailedError, type FieldIssue } from '@cdp/platform';
import { ImportInvalidHeaderError, ImportTooManyRowsError } from './import-export.errors';

export const SEPARATORS = { comma: ',', semicolon: ';' } as const;
export type Separator = keyof typeof SEPARATORS;

/** At most this many customers per file (IE3). */
export const MAX_IMPORT_ROWS = 1000;
/** Upload limit of the file itself; the multipart parser enforces it (413). */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** The columns of the template (IE1), in its order. */
export const IMPORT_COLUMNS = ['name', 'identifier', 'email', 'phone_number', 'channel_id', 'source', 'channel_name'] as const;
/** Read when present, not in the template: `consent` (`opted_in`, `opted_out`, `unknown`; empty is unknown). */
export const OPTIONAL_IMPORT_COLUMNS = ['consent'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number] | (typeof OPTIONAL_IMPORT_COLUMNS)[number];
/** A file without these cannot be read at all. `email`, `phone_number` and `channel_name` may be left out. */
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['name', 'identifier', 'channel_id', 'source'];
/**
 * Columns accepted and ignored: those only the export writes (so an exported file imports back as it is),
 * and `error`, which the report of failed rows adds (so a corrected report can be uploaded again).
 */
export const IGNORED_COLUMNS = [
  'id',
  'customer_source',
  'platform',
  'tags',
  'properties',
  'linked',
  'main_channel',
  'created_at',
  'error',
] as const;

/** How many unknown or repeated column names a refused header lists (then a count), and how much of each. */
const MAX_NAMED_COLUMNS = 10;
const MAX_COLUMN_NAME_SHOWN = 64;

export interface ParsedImportFile {
  /** The header as written (trimmed), in the file's order. */
  columns: string[];
  /** Data records, blank ones left out; cells as written (the job trims and un-escapes them). */
  rows: string[][];
}

/** Where each known column is in a row. */
export type HeaderMap = Partial<Record<ImportColumn, number>>;

/**
 * Reads an uploaded file (IE2, IE3): UTF-8 with or without a BOM, CRLF or LF, quoted fields holding separators,
 * quotes or line breaks. A record whose cells are all empty is a blank line: not counted, not a row. The header
 * is checked here, and the number of rows, so that a file the import cannot take is refused before anything
 * is stored.
 */
export function parseImportFile(content: Buffer, separator: Separator): ParsedImportFile {
  let text: string;
  try {
    // `fatal`: bytes that are not UTF-8 are refused rather than silently replaced; the BOM is dropped.
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw invalidFile('invalid_encoding', 'The file must be UTF-8 text');
  }
  let records: string[][];
  try {
    records = parse(text, { delimiter: SEPARATORS[separator], relax_column_count: true, skip_empty_lines: true, bom: true });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw invalidFile(
      'invalid_csv',
      `The file is not valid CSV${line ? ` (near line ${line})` : ''}: check the separator and that every quoted field is closed`,
    );
  }
  const nonBlank = records.filter((r) => r.some((cell) => cell.trim() !== ''));
  if (!nonBlank.length)
    throw new ImportInvalidHeaderError('The file is empty: the first line must be the header', [
      { field: 'file', code: 'missing_header', message: 'no header row' },
    ]);
  refuseNul(nonBlank);
  const [header, ...rows] = nonBlank;
  const columns = header.map((c) => c.trim());
  mapHeader(columns);
  if (rows.length > MAX_IMPORT_ROWS) throw new ImportTooManyRowsError(MAX_IMPORT_ROWS, rows.length);
  return { columns, rows };
}

/**
 * Header names are matched case-insensitively and trimmed, in any order. Missing required columns, unknown
 * columns and repeated ones are refused together, each named.
 */
export function mapHeader(columns: string[]): HeaderMap {
  const known = new Set<string>([...IMPORT_COLUMNS, ...OPTIONAL_IMPORT_COLUMNS]);
  const ignored = new Set<string>(IGNORED_COLUMNS);
  const map: HeaderMap = {};
  const seen = new Set<string>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  columns.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (seen.has(name)) repeated.push(raw);
    seen.add(name);
    if (known.has(name)) map[name as ImportColumn] ??= i;
    else if (!ignored.has(name)) unknown.push(raw === '' ? '(empty)' : raw);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => map[c] === undefined);
  if (!missing.length && !unknown.length && !repeated.length) return map;
  // A header of 20,000 junk columns is answered with the first few names of each kind and how many there are.
  const few = (names: string[]) => names.slice(0, MAX_NAMED_COLUMNS).map((n) => clip(n, MAX_COLUMN_NAME_SHOWN));
  const more = (names: string[], what: string): FieldIssue[] =>
    names.length > MAX_NAMED_COLUMNS ? [{ field: 'file', code: what, message: `and ${names.length - MAX_NAMED_COLUMNS} more` }] : [];
  const list = (names: string[]) =>
    few(names).join(', ') +
    (names.length > MAX_NAMED_COLUMNS ? ` and ${names.length - MAX_NAMED_COLUMNS} more (${names.length} in all)` : '');
  const issues: FieldIssue[] = [
    ...missing.map((c) => ({ field: 'file', code: 'missing_column', message: `required column "${c}" is missing` })),
    ...few(unknown).map((c) => ({ field: 'file', code: 'unknown_column', message: `column "${c}" is not known` })),
    ...more(unknown, 'unknown_column'),
    ...few(repeated).map((c) => ({ field: 'file', code: 'repeated_column', message: `column "${c}" appears more than once` })),
    ...more(repeated, 'repeated_column'),
  ];
  const parts = [
    missing.length ? `missing required columns: ${missing.join(', ')}` : '',
    unknown.length ? `unknown columns: ${list(unknown)}` : '',
    repeated.length ? `repeated columns: ${list(repeated)}` : '',
  ].filter(Boolean);
  throw new ImportInvalidHeaderError(`The header is not valid (${parts.join('; ')}). Expected ${IMPORT_COLUMNS.join(',')}`, issues);
}

/**
 * A NUL character (`\u0000`) in any cell refuses the file (422 `validation_failed`), naming where: the
 * database cannot store it, and a file is taken whole or not at all when it cannot be read.
 */
function refuseNul(records: string[][]): void {
  const found: FieldIssue[] = [];
  let total = 0;
  records.forEach((record, r) =>
    record.forEach((cell, c) => {
      if (!cell.includes('\u0000')) return;
      total++;
      if (found.length >= MAX_NAMED_COLUMNS) return;
      const column =
        r === 0
          ? `column ${c + 1} of the header`
          : `row ${r}, column "${clip((records[0][c] ?? String(c + 1)).trim(), MAX_COLUMN_NAME_SHOWN)}"`;
      found.push({ field: 'file', code: 'invalid_character', message: `${column} contains the NUL character (\\u0000)` });
    }),
  );
  if (!found.length) return;
  const more = total > found.length ? ` (${found.length} of ${total} listed)` : '';
  throw new ValidationFailedError(`The file holds the NUL character (\\u0000), which no field may contain${more}`, found);
}

function invalidFile(code: string, message: string): ValidationFailedError {
  return new ValidationFailedError(message, [{ field: 'file', code, message }]);
}
