// Retry delays: exponential, jittered, capped, never sooner than the provider's Retry-After.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs } from '../../src/workflow/jobs/retry.ts';

test('exponential with equal jitter, capped, honouring Retry-After', () => {
  assert.equal(
    backoffMs(1, 1000, 60_000, 0, () => 0),
    500,
  );
  assert.equal(
    backoffMs(1, 1000, 60_000, 0, () => 1),
    1000,
  );
  assert.equal(
    backoffMs(3, 1000, 60_000, 0, () => 1),
    4000,
  );
  assert.equal(
    backoffMs(20, 1000, 60_000, 0, () => 1),
    60_000,
  );
  assert.equal(
    backoffMs(1, 1000, 60_000, 30_000, () => 0),
    30_000,
  );
  const spread = new Set(Array.from({ length: 20 }, (_, i) => backoffMs(4, 1000, 60_000, 0, () => i / 20)));
  assert.ok(spread.size > 10, 'jitter spreads retries');
});
