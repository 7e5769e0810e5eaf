import { bucketPlan, intervalsOf, localDayOf, mondayOf, rangeIssues } from './intervals';

describe('analytics intervals (API.md "Analytics", AN1)', () => {
  it('AN1: weeks start on Monday', () => {
    expect(['2026-11-01', '2026-11-02', '2026-11-08', '2026-11-09'].map(mondayOf)).toEqual([
      '2026-10-26',
      '2026-11-02',
      '2026-11-02',
      '2026-11-09',
    ]);
  });

  it('AN1: a DST day lasts 23 hours and a +05:45 day starts at 18:15 UTC the day before', () => {
    const [dst] = intervalsOf('2026-03-08', '2026-03-08', 'day', 'America/New_York');
    expect((dst.to.getTime() - dst.from.getTime()) / 3_600_000).toBe(23);
    const [ktm] = intervalsOf('2026-11-03', '2026-11-03', 'day', 'Asia/Kathmandu');
    expect(ktm.from.toISOString()).toBe('2026-11-02T18:15:00.000Z');
    expect(localDayOf(Date.parse('2026-11-02T18:14:59.999Z'), 'Asia/Kathmandu')).toBe('2026-11-02');
    expect(localDayOf(Date.parse('2026-11-02T18:15:00.000Z'), 'Asia/Kathmandu')).toBe('2026-11-03');
  });

  it('AN1: a cut week or month is named by its Monday or 1st and bounded by the range', () => {
    const weeks = intervalsOf('2026-11-01', '2026-11-10', 'week', 'UTC');
    expect(weeks.map((w) => [w.start, w.from.toISOString().slice(0, 10), w.to.toISOString().slice(0, 10)])).toEqual([
      ['2026-10-26', '2026-11-01', '2026-11-02'],
      ['2026-11-02', '2026-11-02', '2026-11-09'],
      ['2026-11-09', '2026-11-09', '2026-11-11'],
    ]);
    expect(intervalsOf('2026-01-31', '2026-03-01', 'month', 'UTC').map((m) => m.start)).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
  });

  it('AN1: whole hours where no bound cuts them, the quarter hours of the hours a bound cuts', () => {
    const b = intervalsOf('2026-11-02', '2026-11-03', 'day', 'Asia/Kolkata');
    const plan = bucketPlan([...b.map((x) => x.from), b[b.length - 1].to]);
    expect(plan.splitHours.map((h) => h.toISOString())).toEqual([
      '2026-11-01T18:00:00.000Z',
      '2026-11-02T18:00:00.000Z',
      '2026-11-03T18:00:00.000Z',
    ]);
    expect(plan.quarters.map((q) => q.toISOString().slice(11, 16))).toEqual([
      '18:30',
      '18:45',
      '18:00',
      '18:15',
      '18:30',
      '18:45',
      '18:00',
      '18:15',
    ]);
    const whole = intervalsOf('2026-11-02', '2026-11-03', 'day', 'Asia/Jakarta');
    expect(bucketPlan([...whole.map((x) => x.from), whole[whole.length - 1].to]).quarters).toEqual([]);
  });

  it('AN1: at most 366 days by day, under 5 years by week or month, from 2000 on, real calendar days', () => {
    expect(rangeIssues('2024-01-01', '2024-12-31', 'day')).toEqual([]); // 366 days
    expect(rangeIssues('2025-01-01', '2026-01-02', 'day').map((i) => i.code)).toEqual(['range_too_long']);
    expect(rangeIssues('2021-01-01', '2025-12-31', 'month')).toEqual([]);
    expect(rangeIssues('2021-01-01', '2026-01-01', 'week').map((i) => i.code)).toEqual(['range_too_long']);
    expect(rangeIssues('2026-02-29', '2026-03-01', 'day').map((i) => i.field)).toEqual(['from']);
    expect(rangeIssues('1999-12-31', '2000-01-02', 'day').map((i) => i.code)).toEqual(['out_of_range']);
    expect(rangeIssues('2026-03-02', '2026-03-01', 'day').map((i) => [i.field, i.code])).toEqual([['to', 'out_of_range']]);
  });
});
