import type { ChannelInstance, IdentifierCheck } from '@cdp/channels';
import type { FieldIssue } from '@cdp/platform';
import { checkEmail, checkPhone } from '../contact-fields';
import type { NewCustomerInput } from '../customers.service';
import { unescapeCell } from './csv-cells';
import type { HeaderMap, ImportColumn } from './import-file';

export const MAX_NAME_LENGTH = 200;

/** One problem of a row, as the report shows it. */
export interface RowIssue {
  column: string | null;
  code: string;
  message: string;
}

export type RowPlan =
  { rowNo: number; status: 'failed' | 'skipped'; issues: RowIssue[] } | { rowNo: number; status: 'candidate'; input: NewCustomerInput };

export interface RowContext {
  /** The app's channels by lower-case id. */
  channels: Map<string, ChannelInstance>;
  /** The channel types there are (the `source` column names one). */
  channelTypes: ReadonlySet<string>;
  defaultCountry: string;
  /** The channels lib's identifier check (CH3, X5). */
  checkIdentifier: (channel: ChannelInstance, raw: string) => IdentifierCheck;
}

/**
 * IE4: judges every row of a file, without the database. A row with problems is `failed` with all of them; a
 * row repeating an earlier good row of the file (same channel, same identifier once normalised) is `skipped`
 * as `duplicate_in_file`; every other row is a candidate, whose customer may still exist (the job asks the
 * database, batch by batch). A row repeating an earlier *failed* row is judged on its own: the failed one
 * created nothing. Imported customers are "added by admin": source `admin` (FEATURES.md C3).
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
    const name = cell('name');
    if (!name) issues.push({ column: 'name', code: 'required', message: 'name is required' });
    else if (name.length > MAX_NAME_LENGTH)
      issues.push({ column: 'name', code: 'too_long', message: `name has at most ${MAX_NAME_LENGTH} characters` });

    const channel = checkChannel(cell('channel_id'), cell('source').toLowerCase(), ctx, issues);
    const rawIdentifier = cell('identifier');
    let identifier: string | undefined;
    if (!rawIdentifier) issues.push({ column: 'identifier', code: 'required', message: 'identifier is required' });
    else if (channel) {
      const check = ctx.checkIdentifier(channel, rawIdentifier);
      identifier = check.identifier;
      issues.push(...check.issues.map((x) => asRowIssue(x, 'identifier')));
    }

    const rawEmail = cell('email');
    const email = rawEmail ? checkEmail(rawEmail, 'email') : {};
    if (email.issue) issues.push(asRowIssue(email.issue, 'email'));
    const rawPhone = cell('phone_number');
    const phone = rawPhone ? checkPhone(rawPhone, ctx.defaultCountry, 'phone_number') : {};
    if (phone.issue)
      issues.push(
        asRowIssue(
          phone.issue,
          'phone_number',
          'phone_number must be a valid phone number (international, or local to the default country)',
        ),
      );

    if (issues.length || !channel || !identifier) return { rowNo, status: 'failed', issues };
    const key = `${channel.id}\n${identifier}`;
    const earlier = firstRow.get(key);
    if (earlier !== undefined)
      return {
        rowNo,
        status: 'skipped',
        issues: [{ column: 'identifier', code: 'duplicate_in_file', message: `repeats row ${earlier} (same channel and identifier)` }],
      };
    firstRow.set(key, rowNo);
    return {
      rowNo,
      status: 'candidate',
      input: { channelId: channel.id, identifier, name, email: email.value ?? null, phoneNumber: phone.value ?? null, source: 'admin' },
    };
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

function asRowIssue(issue: FieldIssue, column: string, message?: string): RowIssue {
  return { column, code: issue.code, message: message ?? issue.message };
}
