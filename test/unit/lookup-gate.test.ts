// The first-pass gate: the asked names first, then alternatives by their rank in their own search, and a lookup whose
// asker gave up never starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LookupGate } from '../../src/providers/availability/lookup-gate.ts';

/** a lookup that ends when told to */
function held() {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { release, work: () => done };
}

test('names before alternatives, alternatives by rank, first come first served within a rank', async () => {
  const gate = new LookupGate(1);
  const first = held();
  const order: string[] = [];
  const running = gate.run('name', 'a.fr', first.work);
  const queued = [
    gate.run('alternative', 'c2-first.fr', async () => void order.push('c2-first'), undefined, 2),
    gate.run('alternative', 'c0.fr', async () => void order.push('c0'), undefined, 0),
    gate.run('alternative', 'c2-second.fr', async () => void order.push('c2-second'), undefined, 2),
    gate.run('alternative', 'c1.fr', async () => void order.push('c1'), undefined, 1),
    gate.run('name', 'b.fr', async () => void order.push('name')),
  ];
  assert.equal(gate.waiting, 5);
  assert.equal(gate.inFlight, 1);
  first.release();
  await running;
  await Promise.all(queued);
  assert.deepEqual(order, ['name', 'c0', 'c1', 'c2-first', 'c2-second']);
  assert.equal(gate.waiting, 0);
  assert.equal(gate.inFlight, 0);
});

test('an alternative whose asker gave up while it waited never starts, and leaves the line', async () => {
  const gate = new LookupGate(1);
  const first = held();
  const running = gate.run('name', 'a.fr', first.work);
  const gaveUp = new AbortController();
  let started = false;
  const abandoned = gate.run('alternative', 'x.fr', async () => void (started = true), gaveUp.signal, 3);
  const kept = gate.run('alternative', 'y.fr', async () => 'y', undefined, 4);
  gaveUp.abort();
  await assert.rejects(abandoned, /abandoned/);
  assert.equal(gate.waiting, 1);
  first.release();
  await running;
  assert.equal(await kept, 'y');
  assert.equal(started, false);
  assert.equal(gate.waiting, 0);
});
