// Calendar days in a time zone (the daily report's "yesterday" and "07:00 Paris"), with Intl only: pure, no I/O.

const partsFormat = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormat.get(timeZone);
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
    partsFormat.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at `at`, as if it were UTC (ms since epoch). */
function wallClock(at: Date, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in ms (Paris: +1 h in winter, +2 h in summer). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  return wallClock(at, timeZone) - Math.floor(at.getTime() / 1000) * 1000;
}

/** "YYYY-MM-DD": the calendar day in `timeZone` at `at`. */
export function localDay(at: Date, timeZone: string): string {
  return new Date(wallClock(at, timeZone)).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

/**
 * The instant at which the wall clock in `timeZone` reads `day` at `time` ("07:00"). In the
 * hour a spring-forward skips, that is the same clock time in the new offset (an hour later).
 */
export function zonedInstant(day: string, time: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // two rounds: the offset at the first guess may differ from the offset at the answer (DST)
  let guess = wall - zoneOffsetMs(new Date(wall), timeZone);
  guess = wall - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** [from, to) of a calendar day in `timeZone`: 23, 24 or 25 hours long. */
export function dayBounds(day: string, timeZone: string): { from: Date; to: Date } {
  return { from: zonedInstant(day, '00:00', timeZone), to: zonedInstant(addDays(day, 1), '00:00', timeZone) };
}

/**
 * The next daily report after `now`: it runs at `time` in `timeZone` and covers the day before.
 * At 06:59 Paris the next run is today 07:00 (for yesterday); at 07:00 it is tomorrow's (for today).
 */
export function nextReport(now: Date, time: string, timeZone: string): { day: string; runAt: Date } {
  const today = localDay(now, timeZone);
  let runDay = today;
  let runAt = zonedInstant(runDay, time, timeZone);
  if (runAt.getTime() <= now.getTime()) {
    runDay = addDays(today, 1);
    runAt = zonedInstant(runDay, time, timeZone);
  }
  return { day: addDays(runDay, -1), runAt };
}

/** "15m", "24h", "7d" → seconds; undefined for anything else. */
export function parseWindow(value: string): number | undefined {
  const m = /^(\d{1,5})(m|h|d)$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const seconds = n * (m[2] === 'm' ? 60 : m[2] === 'h' ? 3600 : 86_400);
  return seconds > 0 ? seconds : undefined;
}
