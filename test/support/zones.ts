// Time zones for tests about calendar days: one where it is the middle of the day now, so that "today" does not turn while a test runs.

const CANDIDATES = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Honolulu', 'Australia/Sydney'];

/** The first candidate zone whose wall clock reads between 02:00 and 21:59 now (the candidates' offsets leave no hour uncovered). */
export function midDayZone(now = new Date()): string {
  return CANDIDATES.find((tz) => {
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', hourCycle: 'h23' }).format(now));
    return hour >= 2 && hour <= 21;
  })!;
}
