/**
 * Calendar days in an IANA time zone turned into UTC instants, in Node (DESIGN.md "The filter language": the
 * database's tzdata is never relied on). Offsets come from `Intl.DateTimeFormat`, so DST changes are those
 * of the runtime's ICU data.
 */

const DAY_MS = 86_400_000;
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
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at instant `t`, as if that wall clock were UTC (ms since epoch). */
function wallClock(t: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** The zone's offset from UTC at instant `t`, in ms (Asia/Jakarta: +7 h). */
export function zoneOffset(t: number, timeZone: string): number {
  const whole = Math.floor(t / 1000) * 1000;
  return wallClock(whole, timeZone) - whole;
}

function parseDay(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/**
 * The first instant of the calendar day `day` (`YYYY-MM-DD`) in `timeZone`, as a UTC Date. Local midnight
 * normally; where a DST change skips midnight (clocks jump 00:00 → 01:00), the day starts at the change.
 */
export function startOfDayUtc(day: string, timeZone: string): Date {
  const wall = parseDay(day);
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

/** The day after `day`, as `YYYY-MM-DD`. */
export function nextDay(day: string): string {
  return new Date(parseDay(day) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * A range of whole days in a zone as half-open UTC bounds `[from, to)`: `from` is the start of the first day,
 * `to` the start of the day after the last (inclusive dates, exclusive instant). Either end may be absent.
 */
export function dayRangeUtc(range: { from?: string; to?: string }, timeZone: string): { from?: Date; to?: Date } {
  return {
    from: range.from ? startOfDayUtc(range.from, timeZone) : undefined,
    to: range.to ? startOfDayUtc(nextDay(range.to), timeZone) : undefined,
  };
}
