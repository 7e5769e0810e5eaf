import { dayRangeUtc, nextDay, startOfDayUtc, zoneOffset } from './zoned-time';

describe('zoned days → UTC instants (C8 dates in the app time zone)', () => {
  const iso = (day: string, tz: string) => startOfDayUtc(day, tz).toISOString();

  it('local midnight in fixed-offset zones', () => {
    expect(iso('2026-11-01', 'UTC')).toBe('2026-11-01T00:00:00.000Z');
    expect(iso('2026-11-01', 'Asia/Jakarta')).toBe('2026-10-31T17:00:00.000Z');
    expect(iso('2026-11-01', 'Asia/Kolkata')).toBe('2026-10-31T18:30:00.000Z');
    expect(iso('2026-01-01', 'Pacific/Kiritimati')).toBe('2025-12-31T10:00:00.000Z');
    expect(iso('2026-07-04', 'America/Los_Angeles')).toBe('2026-07-04T07:00:00.000Z');
  });

  it('DST-safe: the days around the spring and autumn changes', () => {
    // New York springs forward on 2026-03-08 at 02:00 (-5 → -4) and falls back on 2026-11-01.
    expect(iso('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(iso('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(iso('2026-11-01', 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
    expect(iso('2026-11-02', 'America/New_York')).toBe('2026-11-02T05:00:00.000Z');
    // London: BST ends 2026-10-25.
    expect(iso('2026-10-25', 'Europe/London')).toBe('2026-10-24T23:00:00.000Z');
    expect(iso('2026-10-26', 'Europe/London')).toBe('2026-10-26T00:00:00.000Z');
  });

  it('a day whose midnight is skipped by DST starts at the change (São Paulo 2018-11-04 00:00 → 01:00)', () => {
    expect(iso('2018-11-04', 'America/Sao_Paulo')).toBe('2018-11-04T03:00:00.000Z');
    expect(iso('2018-11-05', 'America/Sao_Paulo')).toBe('2018-11-05T02:00:00.000Z');
  });

  it('inclusive date ranges become half-open instants; a single day is [day, next day)', () => {
    const r = dayRangeUtc({ from: '2026-11-01', to: '2026-11-30' }, 'Asia/Jakarta');
    expect(r.from?.toISOString()).toBe('2026-10-31T17:00:00.000Z');
    expect(r.to?.toISOString()).toBe('2026-11-30T17:00:00.000Z');
    const day = dayRangeUtc({ from: '2026-03-08', to: '2026-03-08' }, 'America/New_York');
    expect(day.to!.getTime() - day.from!.getTime()).toBe(23 * 3600_000);
    expect(dayRangeUtc({ to: '2026-12-31' }, 'UTC')).toEqual({ from: undefined, to: new Date('2027-01-01T00:00:00.000Z') });
  });

  it('nextDay crosses months, years and leap days', () => {
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(nextDay('2026-02-28')).toBe('2026-03-01');
  });

  it('issue 11: a range up to 9999-12-31 or from 0001-01-01 is open at that end, in any zone (no year 0 or 10000)', () => {
    expect(nextDay('9999-12-31')).toBe('10000-01-01');
    expect(dayRangeUtc({ to: '9999-12-31' }, 'UTC')).toEqual({ from: undefined, to: undefined });
    expect(dayRangeUtc({ from: '9999-12-31', to: '9999-12-31' }, 'Asia/Jakarta')).toEqual({
      from: new Date('9999-12-30T17:00:00.000Z'),
      to: new Date('9999-12-31T17:00:00.000Z'),
    });
    expect(dayRangeUtc({ from: '9999-12-31', to: '9999-12-31' }, 'America/New_York')).toEqual({
      from: new Date('9999-12-31T05:00:00.000Z'),
      to: undefined,
    });
    // Etc/GMT-7 is UTC+7 in every year (Asia/Jakarta kept its local mean time before 1924).
    expect(dayRangeUtc({ from: '0001-01-01', to: '0001-01-01' }, 'Etc/GMT-7')).toEqual({
      from: undefined,
      to: new Date('0001-01-01T17:00:00.000Z'),
    });
    expect(dayRangeUtc({ from: '0001-01-01' }, 'UTC')).toEqual({ from: undefined, to: undefined });
  });

  it('issue 11: years 0001–0099 are those years, not 1901–1999', () => {
    expect(iso('0001-01-01', 'UTC')).toBe('0001-01-01T00:00:00.000Z');
    expect(iso('0050-06-15', 'UTC')).toBe('0050-06-15T00:00:00.000Z');
    expect(nextDay('0099-12-31')).toBe('0100-01-01');
  });

  it('zoneOffset reads the offset at an instant', () => {
    expect(zoneOffset(Date.UTC(2026, 0, 15), 'Asia/Jakarta')).toBe(7 * 3600_000);
    expect(zoneOffset(Date.UTC(2026, 6, 15), 'America/New_York')).toBe(-4 * 3600_000);
  });
});
