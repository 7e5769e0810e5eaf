/**
 * Calendar days in an IANA time zone turned into UTC instants, in Node (DESIGN.md "The filter language": the
 * database's tzdata is never relied on). Offsets come from `Intl.DateTimeFormat`, so DST changes are those
 * of the runtime's ICU data.
 */

const DAY_MS = 86_400_000;
/** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the instants a day range is kept within. */
const FIRST_INSTANT = utcTime(1, 1, 1);
const END_INSTANT = utcTime(10000, 1, 1);
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Milliseconds since the epoch of a UTC calendar time, for every year: `Date.UTC` reads years 0–99 as
 * 1900–1999, which would move the days of years 0001–0099 by centuries.
 */
export function utcTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** The wall-clock time in `timeZone` at instant `t`, as if that wall clock were UTC (ms since epoch). */
function wallClock(t: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  let bc = false;
  for (const p of formatter(timeZone).formatToParts(new Date(t))) {
    if (p.type === 'era') bc = p.value.startsWith('B');
    else if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  // Around 0001-01-01 a zone's wall clock can still be in 1 BC (year 0 of the proleptic calendar).
  const year = bc ? 1 - parts.year : parts.year;
  return utcTime(year, parts.month, parts.day, parts.hour, parts.minute, parts.second);
}

/** The zone's offset from UTC at instant `t`, in ms (Asia/Jakarta: +7 h). */
export function zoneOffset(t: number, timeZone: string): number {
  const whole = Math.floor(t / 1000) * 1000;
  return wallClock(whole, timeZone) - whole;
}

function parseDay(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${day}`);
  return utcTime(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * The first instant of the calendar day `day` (`YYYY-MM-DD`) in `timeZone`, as a UTC Date. Local midnight
 * normally; where a DST change skips midnight (clocks jump 00:00 → 01:00), the day starts at the change.
 */
export function startOfDayUtc(day: string, timeZone: string): Date {
  return startOfWallDay(parseDay(day), timeZone);
}

/**
 * Day starts already computed, per zone and day: `formatToParts` costs microseconds, and a 90-day range asks for
 * a few hundred of them, the same ones request after request. Bounded: emptied when full.
 */
const dayStarts = new Map<string, number>();
const DAY_STARTS_KEPT = 50_000;

/** `startOfDayUtc` for a day given as its UTC midnight (ms), so that the day after 9999-12-31 works too. */
function startOfWallDay(wall: number, timeZone: string): Date {
  const key = `${timeZone}\n${wall}`;
  const known = dayStarts.get(key);
  if (known !== undefined) return new Date(known);
  const start = computeStartOfWallDay(wall, timeZone);
  if (dayStarts.size >= DAY_STARTS_KEPT) dayStarts.clear();
  dayStarts.set(key, start.getTime());
  return start;
}

function computeStartOfWallDay(wall: number, timeZone: string): Date {
  // At most one offset change happens within a day of any date: try the offsets before and after it.
  const candidates = [...new Set([zoneOffset(wall - DAY_MS, timeZone), zoneOffset(wall + DAY_MS, timeZone), zoneOffset(wall, timeZone)])]
    .map((offset) => wall - offset)
    .sort((a, b) => a - b);
  const exact = candidates.find((t) => wallClock(t, timeZone) === wall);
  if (exact !== undefined) return new Date(exact);
  // Midnight does not exist that day: the earliest candidate that already falls on the day is the change.
  const sameDay = candidates.find((t) => Math.floor(wallClock(t, timeZone) / DAY_MS) * DAY_MS === wall);
  return new Date(sameDay ?? candidates[candidates.length - 1]);
}

/** The day after `day`, as `YYYY-MM-DD` (the day after 9999-12-31 has a five-digit year). */
export function nextDay(day: string): string {
  const d = new Date(parseDay(day) + DAY_MS);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/**
 * A range of whole days in a zone as half-open UTC bounds `[from, to)`: `from` is the start of the first day,
 * `to` the start of the day after the last (inclusive dates, exclusive instant). Either end may be absent, and
 * is absent when it falls outside years 0001–9999 of UTC (`to` 9999-12-31: up to the end of the calendar).
 */
export function dayRangeUtc(range: { from?: string; to?: string }, timeZone: string): { from?: Date; to?: Date } {
  const from = range.from ? startOfDayUtc(range.from, timeZone) : undefined;
  const to = range.to ? startOfWallDay(parseDay(range.to) + DAY_MS, timeZone) : undefined;
  // A bound past the ends of the calendar the API writes (years 0001–9999, in UTC) is no bound: the database
  // reads neither year 0 nor a five-digit year, and nothing stored lies beyond them.
  return {
    from: from && from.getTime() > FIRST_INSTANT ? from : undefined,
    to: to && to.getTime() < END_INSTANT ? to : undefined,
  };
}
