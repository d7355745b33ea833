// The provider limiter lives in PostgreSQL: two processes (two limiter instances) share one budget.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from '../support/db.ts';
import { createDatabase, type Database } from '../../src/db/database.ts';
import { PgRateLimiter } from '../../src/providers/limiter.ts';
import { ProviderError } from '../../src/errors.ts';
import { CircuitBreaker } from '../../src/providers/circuit.ts';

let db: Database;
let drop: () => Promise<void>;
before(async () => {
  const fresh = await freshDatabase();
  drop = fresh.drop;
  db = createDatabase(fresh.url).db;
});
after(async () => {
  await db.destroy();
  await drop();
});

test('two limiters share one bucket: the burst is spent once, then both must wait', async () => {
  const a = new PgRateLimiter(db);
  const b = new PgRateLimiter(db);
  let taken = 0;
  for (let i = 0; i < 30; i++) {
    if ((await (i % 2 ? a : b).tryTake('netlify:deploy:site-1', 30)) === 0) taken++;
  }
  assert.equal(taken, 30, 'the burst holds perMinute tokens');
  const waitA = await a.tryTake('netlify:deploy:site-1', 30);
  const waitB = await b.tryTake('netlify:deploy:site-1', 30);
  assert.ok(waitA > 0 && waitA <= 2_000, `a waits ${waitA} ms`);
  assert.ok(waitB > 0 && waitB <= 2_000, `b waits ${waitB} ms`);
  // another bucket is independent
  assert.equal(await a.tryTake('netlify:deploy:site-2', 30), 0);
});

test('a wait longer than the limiter allows becomes a retryable rate_limited error with retryAfterMs', async () => {
  const limiter = new PgRateLimiter(db, 50);
  for (let i = 0; i < 3; i++) await limiter.take('namecheap:api', { perMinute: 3 });
  await assert.rejects(limiter.take('namecheap:api', { perMinute: 3 }), (err: unknown) => {
    assert.ok(err instanceof ProviderError);
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.retryable, true);
    assert.ok((err.retryAfterMs ?? 0) > 1000);
    return true;
  });
});

test('the circuit opens after repeated failures, fails fast, and closes after a good trial call', async () => {
  let now = 0;
  const breaker = new CircuitBreaker('netlify', { failureThreshold: 3, coolDownMs: 1000 }, () => now);
  const boom = () => Promise.reject(new ProviderError('netlify', 'server_error', 'down', true));
  for (let i = 0; i < 3; i++) await assert.rejects(breaker.call(boom));
  assert.equal(breaker.state, 'open');
  await assert.rejects(
    breaker.call(() => Promise.resolve(1)),
    (e: unknown) => e instanceof ProviderError && e.code === 'circuit_open',
  );
  now = 1500;
  assert.equal(await breaker.call(() => Promise.resolve(42)), 42);
  assert.equal(breaker.state, 'closed');
  // a refused request (not retryable) says nothing about the provider's health
  for (let i = 0; i < 5; i++) await assert.rejects(breaker.call(() => Promise.reject(new ProviderError('netlify', 'unprocessable', 'bad', false))));
  assert.equal(breaker.state, 'closed');
});
