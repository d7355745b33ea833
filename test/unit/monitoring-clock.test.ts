// The daily report's calendar: local days, their bounds across daylight saving time, the next run, and admin windows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, dayBounds, isDay, localDay, nextReport, parseWindow, zonedInstant, zoneOffsetMs } from '../../src/monitoring/clock.ts';

const PARIS = 'Europe/Paris';

test('Paris is one hour ahead of UTC in winter and two in summer', () => {
  assert.equal(zoneOffsetMs(new Date('2025-01-15T12:00:00Z'), PARIS), 3_600_000);
  assert.equal(zoneOffsetMs(new Date('2025-07-15T12:00:00Z'), PARIS), 7_200_000);
  assert.equal(zoneOffsetMs(new Date('2025-07-15T12:00:00Z'), 'UTC'), 0);
  assert.equal(zoneOffsetMs(new Date('2025-07-15T12:00:00Z'), 'America/New_York'), -4 * 3_600_000);
});

test('the local day is the one on the wall clock of the zone, not UTC', () => {
  assert.equal(localDay(new Date('2025-03-10T23:30:00Z'), PARIS), '2025-03-11');
  assert.equal(localDay(new Date('2025-03-10T23:30:00Z'), 'UTC'), '2025-03-10');
  assert.equal(localDay(new Date('2025-03-11T03:00:00Z'), 'America/Los_Angeles'), '2025-03-10');
});

test('07:00 in Paris is 06:00 UTC in winter and 05:00 UTC in summer', () => {
  assert.equal(zonedInstant('2025-01-15', '07:00', PARIS).toISOString(), '2025-01-15T06:00:00.000Z');
  assert.equal(zonedInstant('2025-07-15', '07:00', PARIS).toISOString(), '2025-07-15T05:00:00.000Z');
  assert.equal(zonedInstant('2025-07-15', '00:00', 'Asia/Tokyo').toISOString(), '2025-07-14T15:00:00.000Z');
});

test('days are 23 or 25 hours long when the clocks change, 24 otherwise', () => {
  const hours = (day: string) => {
    const { from, to } = dayBounds(day, PARIS);
    return (to.getTime() - from.getTime()) / 3_600_000;
  };
  assert.equal(hours('2025-03-30'), 23); // spring forward
  assert.equal(hours('2025-10-26'), 25); // fall back
  assert.equal(hours('2025-06-01'), 24);
  assert.equal(dayBounds('2025-03-30', PARIS).from.toISOString(), '2025-03-29T23:00:00.000Z');
  assert.equal(dayBounds('2025-03-30', PARIS).to.toISOString(), '2025-03-30T22:00:00.000Z');
});

test('a time the spring-forward skips lands just after the gap', () => {
  // 02:30 does not exist in Paris on 2025-03-30; the same clock time in summer time is 00:30 UTC
  const at = zonedInstant('2025-03-30', '02:30', PARIS);
  assert.ok(at.getTime() >= new Date('2025-03-30T00:30:00Z').getTime() && at.getTime() <= new Date('2025-03-30T01:30:00Z').getTime());
});

test('the next report: before 07:00 it is today at 07:00 for yesterday; from 07:00 on, tomorrow for today', () => {
  const before = nextReport(new Date('2025-06-10T04:59:00Z'), '07:00', PARIS); // 06:59 in Paris
  assert.deepEqual({ day: before.day, runAt: before.runAt.toISOString() }, { day: '2025-06-09', runAt: '2025-06-10T05:00:00.000Z' });
  const at = nextReport(new Date('2025-06-10T05:00:00Z'), '07:00', PARIS); // 07:00 sharp: that run is now due, the next is tomorrow
  assert.deepEqual({ day: at.day, runAt: at.runAt.toISOString() }, { day: '2025-06-10', runAt: '2025-06-11T05:00:00.000Z' });
  const lateEvening = nextReport(new Date('2025-06-10T22:30:00Z'), '07:00', PARIS); // already 00:30 on the 11th in Paris
  assert.deepEqual({ day: lateEvening.day, runAt: lateEvening.runAt.toISOString() }, { day: '2025-06-10', runAt: '2025-06-11T05:00:00.000Z' });
});

test('days add across months and years; only real dates are days', () => {
  assert.equal(addDays('2024-12-31', 1), '2025-01-01');
  assert.equal(addDays('2024-03-01', -1), '2024-02-29');
  assert.ok(isDay('2024-02-29'));
  assert.ok(!isDay('2025-02-29'));
  assert.ok(!isDay('2025-1-1'));
  assert.ok(!isDay('yesterday'));
});

test('admin windows: minutes, hours, days; anything else is refused', () => {
  assert.equal(parseWindow('15m'), 900);
  assert.equal(parseWindow('24h'), 86_400);
  assert.equal(parseWindow('7d'), 604_800);
  assert.equal(parseWindow('0h'), undefined);
  assert.equal(parseWindow('1w'), undefined);
  assert.equal(parseWindow('-1h'), undefined);
  assert.equal(parseWindow(''), undefined);
});
