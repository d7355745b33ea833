// The admission line: at most N requests run at once, the next ones wait their turn, and one that waited too long is refused as busy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Admission } from '../../src/http/admission.ts';
import { AppError } from '../../src/errors.ts';

test('up to the limit at once; the next in line gets the first place given back, first come first served', async () => {
  const gate = new Admission(2, 60_000);
  const a = await gate.enter();
  const b = await gate.enter();
  assert.equal(gate.running, 2);
  const order: string[] = [];
  const c = gate.enter().then((release) => (order.push('c'), release));
  const d = gate.enter().then((release) => (order.push('d'), release));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, []);
  assert.equal(gate.waiting, 2);
  a();
  const releaseC = await c;
  assert.deepEqual(order, ['c']);
  assert.equal(gate.running, 2);
  assert.equal(gate.waiting, 1);
  // giving a place back twice frees it once
  a();
  assert.equal(gate.running, 2);
  assert.equal(gate.waiting, 1);
  b();
  const releaseD = await d;
  assert.deepEqual(order, ['c', 'd']);
  releaseC();
  releaseD();
  assert.equal(gate.running, 0);
});

test('a newcomer does not jump the line while others wait', async () => {
  const gate = new Admission(1, 60_000);
  const first = await gate.enter();
  const order: string[] = [];
  const waiting = gate.enter().then((r) => (order.push('waiting'), r));
  first();
  const newcomer = gate.enter().then((r) => (order.push('newcomer'), r));
  (await waiting)();
  (await newcomer)();
  assert.deepEqual(order, ['waiting', 'newcomer']);
});

test('a request still in line after the longest wait is refused: 503 busy, with a Retry-After of at least a second', async () => {
  const gate = new Admission(1, 20);
  const held = await gate.enter();
  const refused = await gate.enter().then(
    () => assert.fail('should have been refused'),
    (err: unknown) => err,
  );
  assert.ok(refused instanceof AppError);
  assert.equal(refused.code, 'busy');
  assert.equal(refused.status, 503);
  assert.equal(refused.extra.retryAfterSeconds, 1);
  assert.equal(gate.waiting, 0, 'the refused request left the line');
  held();
  // the place is free again for the next one
  const next = await gate.enter();
  assert.equal(gate.running, 1);
  next();
});
