import type { ChannelInstance, ChannelsService } from '@cdp/channels';
import { CustomerIntake } from '../intake/customer-intake';
import { planRows, type RowContext } from './import-rows';

const wa: ChannelInstance = { id: 'a0000000-0000-7000-8000-000000000001', appId: 'app', type: 'wa', name: 'WA', config: {} };
// The real door, with a stand-in identifier rule (digits, spaces and + allowed, normalised to digits) in place
// of the channels lib's adapters; the door needs nothing else of it to check a row.
const channels = {
  validateIdentifier: (_c: ChannelInstance, raw: unknown) =>
    typeof raw === 'string' && /^[+\d ]+$/.test(raw)
      ? { identifier: raw.replace(/\D/g, ''), issues: [] }
      : { issues: [{ field: 'identifier', code: 'invalid_identifier', message: 'bad' }] },
  sourceAllowed: () => true,
} as unknown as ChannelsService;
const intake = new CustomerIntake(channels, undefined as never, undefined as never, undefined as never);
const intakeContext = { appId: 'app', channels: new Map([[wa.id, wa]]), defaultCountry: 'ID', definitions: new Map() };
const ctx: RowContext = {
  channels: new Map([[wa.id, wa]]),
  channelTypes: new Set(['wa', 'line']),
  check: (raw) => intake.check(intakeContext, raw),
};
const header = { name: 0, identifier: 1, email: 2, phone_number: 3, channel_id: 4, source: 5 };

describe('judging import rows (IE4)', () => {
  it('IE4: good rows become customers added by admin, with e-mail lower-cased and phone in E.164', () => {
    const [p] = planRows(header, [[' Budi ', '+62 812', 'B@X.COM', '0812 3456 7890', wa.id.toUpperCase(), 'WA']], ctx);
    expect(p).toEqual({
      rowNo: 1,
      status: 'candidate',
      customer: {
        channelId: wa.id,
        identifier: '62812',
        name: 'Budi',
        email: 'b@x.com',
        phoneNumber: '+6281234567890',
        source: 'admin',
        platform: null,
        tags: [],
        properties: {},
      },
    });
  });

  it('IE4: every problem of a row is reported with its column', () => {
    const [p] = planRows(header, [['', 'abc', 'nope', '1', wa.id, 'wa']], ctx);
    expect(p.status).toBe('failed');
    expect(p.status !== 'candidate' && p.issues.map((i) => [i.column, i.code])).toEqual([
      ['name', 'required'],
      ['identifier', 'invalid_identifier'],
      ['email', 'invalid_email'],
      ['phone_number', 'invalid_phone_number'],
    ]);
  });

  it('IE4: channel checks: unknown channel, unknown type, type mismatch', () => {
    const plans = planRows(
      header,
      [
        ['a', '1', '', '', 'x', 'wa'],
        ['a', '1', '', '', wa.id, 'sms'],
        ['a', '1', '', '', wa.id, 'line'],
      ],
      ctx,
    );
    expect(plans.map((p) => p.status !== 'candidate' && p.issues.map((i) => i.code))).toEqual([
      ['unknown_channel'],
      ['unknown_channel_type'],
      ['channel_type_mismatch'],
    ]);
  });

  it('IE4: a repeat of an earlier good row (after normalisation) is skipped as duplicate_in_file; a repeat of a failed row is not', () => {
    const plans = planRows(
      header,
      [
        ['a', '+62 1', '', '', wa.id, 'wa'],
        ['b', '621', '', '', wa.id, 'wa'],
        ['c', '7', 'bad', '', wa.id, 'wa'],
        ['d', '7', '', '', wa.id, 'wa'],
      ],
      ctx,
    );
    expect(plans.map((p) => p.status)).toEqual(['candidate', 'skipped', 'failed', 'candidate']);
    expect(plans[1].status === 'skipped' && plans[1].issues[0]).toMatchObject({
      code: 'duplicate_in_file',
      message: expect.stringContaining('row 1'),
    });
  });
});
