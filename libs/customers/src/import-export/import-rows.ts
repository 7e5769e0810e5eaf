import type { ChannelInstance } from '@cdp/channels';
import type { CustomerCheck, CustomerField, NewCustomer, RawCustomer } from '../intake/new-customer';
import { unescapeCell } from './csv-cells';
import type { HeaderMap, ImportColumn } from './import-file';

/** One problem of a row, as the report shows it. */
export interface RowIssue {
  column: string | null;
  code: string;
  message: string;
}

export type RowPlan =
  | { rowNo: number; status: 'failed' | 'skipped'; issues: RowIssue[] }
  | { rowNo: number; status: 'candidate'; customer: NewCustomer; consent?: 'opted_in' | 'opted_out' };

export interface RowContext {
  /** The app's channels by lower-case id. */
  channels: Map<string, ChannelInstance>;
  /** The channel types there are (the `source` column names one). */
  channelTypes: ReadonlySet<string>;
  /** The one door for new customers (`CustomerIntake.check` with the app's context). */
  check: (raw: RawCustomer) => CustomerCheck;
}

/** The file's column for each field the door may find a problem with. */
const COLUMN: Partial<Record<CustomerField, ImportColumn>> = {
  identifier: 'identifier',
  name: 'name',
  email: 'email',
  phoneNumber: 'phone_number',
};
/** Problems are listed in the file's own column order. */
const ORDER: string[] = ['name', 'source', 'channel_id', 'identifier', 'email', 'phone_number', 'consent'];
const CONSENT_VALUES = new Set(['opted_in', 'opted_out', 'unknown']);
const PHONE_MESSAGE = 'phone_number must be a valid phone number (international, or local to the default country)';

/**
 * IE4: judges every row of a file, without the database. The file's own columns are checked here (`source`
 * names the channel's type, `channel_id` one of the app's channels of that type); the customer itself goes
 * through the one door for new customers, whose problems are reported under the file's column names. A row
 * with problems is `failed` with all of them; a row repeating an earlier good row of the file (same channel,
 * same identifier once normalised) is `skipped` as `duplicate_in_file`; every other row is a candidate, whose
 * customer may still exist (the job asks the database, batch by batch). A row repeating an earlier *failed*
 * row is judged on its own: the failed one created nothing. Imported customers are "added by admin": source
 * `admin` (FEATURES.md C3).
 */
export function planRows(header: HeaderMap, rows: string[][], ctx: RowContext): RowPlan[] {
  const firstRow = new Map<string, number>();
  return rows.map((cells, i) => {
    const rowNo = i + 1;
    const cell = (c: ImportColumn): string => {
      const at = header[c];
      return at === undefined ? '' : unescapeCell((cells[at] ?? '').trim());
    };
    const issues: RowIssue[] = [];
    const channel = checkChannel(cell('channel_id'), cell('source').toLowerCase(), ctx, issues);
    const check = ctx.check({
      channelId: channel?.id,
      identifier: cell('identifier') || undefined,
      name: cell('name'),
      email: cell('email') || undefined,
      phoneNumber: cell('phone_number') || undefined,
      source: 'admin',
    });
    for (const issue of check.issues) {
      const column = COLUMN[issue.part];
      // A row without a usable channel reports the channel columns' problems (above), not the door's.
      if (!column) continue;
      issues.push({ column, code: issue.code, message: issue.part === 'phoneNumber' ? PHONE_MESSAGE : issue.message });
    }
    const consent = cell('consent').toLowerCase();
    if (consent && !CONSENT_VALUES.has(consent))
      issues.push({ column: 'consent', code: 'invalid_consent', message: 'consent must be opted_in, opted_out, unknown or empty' });
    issues.sort((a, b) => ORDER.indexOf(a.column ?? '') - ORDER.indexOf(b.column ?? ''));
    if (issues.length || !check.customer) return { rowNo, status: 'failed', issues };
    const customer = check.customer;
    const key = `${customer.channelId}\n${customer.identifier}`;
    const earlier = firstRow.get(key);
    if (earlier !== undefined)
      return {
        rowNo,
        status: 'skipped',
        issues: [{ column: 'identifier', code: 'duplicate_in_file', message: `repeats row ${earlier} (same channel and identifier)` }],
      };
    firstRow.set(key, rowNo);
    return consent === 'opted_in' || consent === 'opted_out'
      ? { rowNo, status: 'candidate', customer, consent }
      : { rowNo, status: 'candidate', customer };
  });
}

function checkChannel(rawId: string, type: string, ctx: RowContext, issues: RowIssue[]): ChannelInstance | undefined {
  if (!type) issues.push({ column: 'source', code: 'required', message: 'source (the channel type) is required' });
  else if (!ctx.channelTypes.has(type))
    issues.push({
      column: 'source',
      code: 'unknown_channel_type',
      message: `"${type}" is not a channel type (${[...ctx.channelTypes].join(', ')})`,
    });
  if (!rawId) {
    issues.push({ column: 'channel_id', code: 'required', message: 'channel_id is required' });
    return undefined;
  }
  const channel = ctx.channels.get(rawId.toLowerCase());
  if (!channel) {
    issues.push({ column: 'channel_id', code: 'unknown_channel', message: "channel_id is not one of the app's channels" });
    return undefined;
  }
  if (type && ctx.channelTypes.has(type) && channel.type !== type) {
    issues.push({
      column: 'source',
      code: 'channel_type_mismatch',
      message: `channel ${channel.name} is of type ${channel.type}, not ${type}`,
    });
    return undefined;
  }
  return type ? channel : undefined;
}
