import { FieldIssue } from '@cdp/platform';
import { nextDay, startOfDayUtc } from '@cdp/customers';

export { nextDay, startOfDayUtc };

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** API.md: at most 366 days by day, 5 years by week or month. */
export const MAX_DAYS_BY_DAY = 366;
export const MAX_YEARS = 5;
/** Local midnights are on the quarter-hour grid of the read models from here on in every zone (older ones may not be). */
export const EARLIEST_DAY = '2000-01-01';

const DAY_MS = 86_400_000;
export const QUARTER_MS = 15 * 60_000;
export const HOUR_MS = 60 * 60_000;

/** One interval of a range: the calendar day that names it, and its UTC bounds (clipped to the range). */
export interface IntervalBucket {
  start: string;
  from: Date;
  to: Date;
}

/**
 * The intervals of `[from, to]` (calendar days in `timeZone`), every one of them, in order and contiguous:
 * days; weeks from Monday; months from the 1st. A week or month the range cuts is named by its first day
 * (the Monday, the 1st) and counts only the range's part of it.
 */
export function intervalsOf(from: string, to: string, interval: Interval, timeZone: string): IntervalBucket[] {
  const starts: string[] = [];
  const names: string[] = [];
  for (let day = from; day <= to; day = nextDay(day)) {
    const name = interval === 'day' ? day : interval === 'week' ? mondayOf(day) : `${day.slice(0, 8)}01`;
    if (names[names.length - 1] !== name) {
      names.push(name);
      starts.push(day);
    }
  }
  const bounds = starts.map((d) => startOfDayUtc(d, timeZone));
  bounds.push(startOfDayUtc(nextDay(to), timeZone));
  return names.map((start, i) => ({ start, from: bounds[i], to: bounds[i + 1] }));
}

/** The Monday on or before `day` (ISO weeks start on Monday). */
export function mondayOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(t - weekday * DAY_MS).toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` that names a real calendar day. */
export function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** The range rules of API.md "Analytics", as field issues (none when the range is fine). */
export function rangeIssues(from: string, to: string, interval: Interval): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isCalendarDay(from)) issues.push({ field: 'from', code: 'invalid_date', message: 'from must be a calendar day YYYY-MM-DD' });
  if (!isCalendarDay(to)) issues.push({ field: 'to', code: 'invalid_date', message: 'to must be a calendar day YYYY-MM-DD' });
  if (issues.length) return issues;
  if (from < EARLIEST_DAY) issues.push({ field: 'from', code: 'out_of_range', message: `from must be ${EARLIEST_DAY} or later` });
  if (to < from) {
    issues.push({ field: 'to', code: 'out_of_range', message: 'to must not be before from' });
    return issues;
  }
  if (interval === 'day') {
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
    if (days > MAX_DAYS_BY_DAY)
      issues.push({
        field: 'to',
        code: 'range_too_long',
        message: `At most ${MAX_DAYS_BY_DAY} days by day; use week or month for longer ranges`,
      });
  } else {
    const limit = `${String(Number(from.slice(0, 4)) + MAX_YEARS).padStart(4, '0')}${from.slice(4)}`;
    if (to >= limit) issues.push({ field: 'to', code: 'range_too_long', message: `At most ${MAX_YEARS} years by ${interval}` });
  }
  return issues;
}

/**
 * How a range of UTC bounds is read from buckets of an hour and of a quarter hour: whole hours where no bound
 * cuts the hour, and the quarter hours of the hours a bound cuts (zones at :30 and :45, and DST changes at a
 * half hour). `splitHours` are those hours; `quarters` their quarter hours inside the range.
 */
export function bucketPlan(bounds: Date[]): { from: Date; to: Date; hourFrom: Date; hourTo: Date; splitHours: Date[]; quarters: Date[] } {
  const from = bounds[0];
  const to = bounds[bounds.length - 1];
  const split = new Set<number>();
  for (const b of bounds) if (b.getTime() % HOUR_MS !== 0) split.add(Math.floor(b.getTime() / HOUR_MS) * HOUR_MS);
  const quarters: Date[] = [];
  for (const h of [...split].sort((a, b) => a - b))
    for (let q = h; q < h + HOUR_MS; q += QUARTER_MS) if (q >= from.getTime() && q < to.getTime()) quarters.push(new Date(q));
  return {
    from,
    to,
    hourFrom: new Date(Math.floor(from.getTime() / HOUR_MS) * HOUR_MS),
    hourTo: new Date(Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS),
    splitHours: [...split].map((h) => new Date(h)),
    quarters,
  };
}

export const quarterOf = (t: number): number => Math.floor(t / QUARTER_MS) * QUARTER_MS;
export const hourOf = (t: number): number => Math.floor(t / HOUR_MS) * HOUR_MS;

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Local days already computed, per zone and instant (the write hooks ask per activity quarter hour). Bounded. */
const localDays = new Map<string, string>();
const LOCAL_DAYS_KEPT = 100_000;

/** The calendar day (`YYYY-MM-DD`) of instant `t` in `timeZone`. */
export function localDayOf(t: number, timeZone: string): string {
  const key = `${timeZone}\n${t}`;
  const known = localDays.get(key);
  if (known !== undefined) return known;
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(t))) parts[p.type] = p.value;
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  if (localDays.size >= LOCAL_DAYS_KEPT) localDays.clear();
  localDays.set(key, day);
  return day;
}
