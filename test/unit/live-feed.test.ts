// The live status feed: one load per change and locale for every stream of an order, each stream sent only the
// events it lacks, and the client's merge of those pieces back into the whole timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusFeeds, type LiveStatus } from '../../src/http/live.ts';
import { mergeStatus, type OrderStatus } from '../../web/src/api.ts';

type Status = LiveStatus & { locale: string; state: string };

/** An order's timeline kept in memory, and the notification channel a real OrderEvents would give. */
function world() {
  const events: { id: number }[] = [];
  const listeners = new Set<() => void>();
  const loads: { locale: string; after: number }[] = [];
  let state = 'paid';
  const feeds = new StatusFeeds<Status>({ subscribe: (_id, fn) => (listeners.add(fn), () => listeners.delete(fn)) }, async (_id, locale, after) => {
    loads.push({ locale, after });
    const timeline = events.filter((e) => e.id > after);
    return { locale, state, final: state === 'delivered', lastEventId: events.at(-1)?.id ?? 0, timelineAfter: after, timeline };
  });
  const settle = () => new Promise((r) => setTimeout(r, 10));
  return {
    feeds,
    loads,
    listeners,
    add: (...ids: number[]) => events.push(...ids.map((id) => ({ id }))),
    setState: (s: string) => (state = s),
    notify: async () => {
      for (const fn of listeners) fn();
      await settle();
    },
    settle,
  };
}

const follower = () => {
  const got: Status[] = [];
  return { got, send: (s: Status, text: string) => (assert.deepEqual(JSON.parse(text), s), got.push(s)) };
};

test('a stream gets the whole timeline first, then only the new events, each once', async () => {
  const w = world();
  w.add(1, 2, 3);
  const a = follower();
  const stop = w.feeds.follow('o1', 'fr', 0, a.send);
  await w.settle();
  assert.deepEqual(a.got.map((s) => [s.timelineAfter, s.timeline.map((e) => e.id)]), [[0, [1, 2, 3]]]);
  w.add(4, 5);
  await w.notify();
  await w.notify(); // nothing new: nothing sent
  assert.deepEqual(a.got.map((s) => [s.timelineAfter, s.timeline.map((e) => e.id)]), [[0, [1, 2, 3]], [3, [4, 5]]]);
  assert.equal(a.got[1]!.lastEventId, 5);
  // the order is delivered without a new event: the final status still goes out once
  w.setState('delivered');
  await w.notify();
  await w.notify();
  assert.equal(a.got.length, 3);
  assert.equal(a.got[2]!.final, true);
  stop();
  assert.equal(w.listeners.size, 0, 'the last stream gone, the order is no longer followed');
  assert.equal(w.feeds.followed(), 0);
});

test("streams of one order share one load per change and locale; a resumed stream starts after its Last-Event-ID", async () => {
  const w = world();
  w.add(1, 2, 3, 4);
  const fr1 = follower();
  const fr2 = follower();
  const en = follower();
  w.feeds.follow('o1', 'fr', 0, fr1.send);
  w.feeds.follow('o1', 'fr', 3, fr2.send); // a browser reconnecting after event 3
  w.feeds.follow('o1', 'en', 0, en.send);
  await w.settle();
  assert.deepEqual(fr2.got[0]!.timeline.map((e) => e.id), [4]);
  assert.equal(fr2.got[0]!.timelineAfter, 3);
  assert.deepEqual(fr1.got.at(-1)!.timeline.map((e) => e.id).slice(-1), [4]);
  w.loads.length = 0;
  w.add(5);
  await w.notify();
  assert.deepEqual(w.loads.map((l) => l.locale).sort(), ['en', 'fr'], 'one load per locale, not per stream');
  for (const f of [fr1, fr2, en]) assert.deepEqual(f.got.at(-1)!.timeline.map((e) => e.id), [5]);
  assert.equal(w.listeners.size, 1, 'one subscription for the order');
});

test('the client appends what the stream sends, and asks again when a piece does not follow what it has', () => {
  const entry = (id: number) => ({ id, type: 't', at: '2026-01-01T00:00:00Z', message: `m${id}` });
  const base = { lastEventId: 3, timelineAfter: 0, timeline: [1, 2, 3].map(entry) } as unknown as OrderStatus;
  const next = { lastEventId: 5, timelineAfter: 3, timeline: [4, 5].map(entry), state: 'deploying' } as unknown as OrderStatus;
  const merged = mergeStatus(base, next)!;
  assert.deepEqual(merged.timeline.map((e) => e.id), [1, 2, 3, 4, 5]);
  assert.equal(merged.state, 'deploying');
  // a whole status replaces what we had
  assert.equal(mergeStatus(merged, base), base);
  // a piece after event 7 when we have up to 5: a gap, the caller fetches the whole status
  assert.equal(mergeStatus(merged, { ...next, timelineAfter: 7 } as OrderStatus), undefined);
  assert.equal(mergeStatus(null, next), undefined);
});
