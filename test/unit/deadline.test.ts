// Deadlines: hours from payment, fractions allowed (the chaos run's deadlines are seconds long); the defaults stay 4 h and 24 h.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.ts';
import { deadlineAt, deadlineElapsed, deadlineHours } from '../../src/domain/deadline.ts';

test('the defaults: express 4 h, standard 24 h', () => {
  const c = loadConfig({});
  assert.equal(deadlineHours({ expressHours: c.EXPRESS_HOURS, standardHours: c.STANDARD_HOURS }, 'express'), 4);
  assert.equal(deadlineHours({ expressHours: c.EXPRESS_HOURS, standardHours: c.STANDARD_HOURS }, 'standard'), 24);
});

test('fractions of an hour: 0.05 h is three minutes from payment, 75 % of it two minutes and fifteen seconds', () => {
  const c = loadConfig({ EXPRESS_HOURS: '0.05', STANDARD_HOURS: '0.25' });
  assert.equal(c.EXPRESS_HOURS, 0.05);
  const paid = new Date('2026-01-01T10:00:00Z');
  assert.equal(deadlineAt(paid, c.EXPRESS_HOURS).toISOString(), '2026-01-01T10:03:00.000Z');
  assert.equal(deadlineAt(paid, c.STANDARD_HOURS).toISOString(), '2026-01-01T10:15:00.000Z');
  assert.equal(deadlineElapsed(paid, c.EXPRESS_HOURS, new Date('2026-01-01T10:02:15Z')), 0.75);
});

test('a deadline must be a positive number of hours', () => {
  for (const bad of ['0', '-1', 'soon']) assert.throws(() => loadConfig({ EXPRESS_HOURS: bad }), /EXPRESS_HOURS/);
});
