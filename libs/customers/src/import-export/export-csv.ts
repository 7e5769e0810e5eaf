import { stringify } from 'csv-stringify/sync';
import type { CustomerRow } from '../dto/customer.dto';
import { escapeCell } from './csv-cells';
import { IMPORT_COLUMNS } from './import-file';

/** At most this many customers per export: the latest created (IE5). */
export const MAX_EXPORT_ROWS = 1000;

/** The import's columns first (so the file imports back), then what only the export has. */
export const EXPORT_COLUMNS = [
  ...IMPORT_COLUMNS,
  'consent',
  'id',
  'customer_source',
  'platform',
  'tags',
  'properties',
  'linked',
  'main_channel',
  'created_at',
] as const;

/** Excel reads a CSV as UTF-8 only when it starts with a BOM; every other reader (and our import) skips it. */
const BOM = '\ufeff';

/**
 * The export file (API.md "Import / export"): `source` is the channel type, as the import reads it, and
 * `customer_source` where the customer came from; tags joined by `|`, properties as one JSON cell, times in
 * ISO 8601 UTC. Every cell is escaped against formula injection. CRLF line ends (RFC 4180).
 */
export function buildExportCsv(rows: CustomerRow[]): string {
  const records = rows.map((r) =>
    [
      r.name,
      r.identifier,
      r.email ?? '',
      r.phone_number ?? '',
      r.channel_id,
      r.channel_type,
      r.channel_name,
      r.consent_status,
      r.id,
      r.source,
      r.platform ?? '',
      (r.tags ?? []).join('|'),
      JSON.stringify(r.properties ?? {}),
      String(r.profile_id !== null),
      String(r.main_channel),
      new Date(r.created_at).toISOString(),
    ].map(escapeCell),
  );
  return BOM + stringify([[...EXPORT_COLUMNS], ...records], { record_delimiter: 'windows' });
}

/** A CSV of `records` under `columns`, escaped as the export is (the template, the report of failed rows). */
export function buildCsv(columns: readonly string[], records: string[][], delimiter: string): string {
  return stringify([[...columns], ...records.map((r) => r.map(escapeCell))], { delimiter, record_delimiter: 'windows' });
}
