// The live status feed: one read per change and locale for every stream of an order, each stream sent only the
// events it lacks — late ones included — and the client's merge of those pieces back into the whole timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusFeeds, type LiveStatus, type StreamCursor } from '../../src/http/live.ts';
import { mergeStatus, type OrderStatus } from '../../web/src/api.ts';

type Status = LiveStatus & { locale: string; state: string };

/**
 * An order's timeline kept in memory as the database would show it: each event has its id (taken at insert) and the
 * transaction that wrote it, visible once committed; a read's horizon is the oldest transaction not ended yet.
 */
function world() {
  const events: { id: number; xid: number; committed: boolean }[] = [];
  const listeners = new Set<() => void>();
  const reads: { locale: string; cursor: StreamCursor }[] = [];
  let state = 'paid';
  let nextXid = 100;
  const feeds = new StatusFeeds<Status>({ subscribe: (_id, fn) => (listeners.add(fn), () => listeners.delete(fn)) }, async (_id, locale, cursor) => {
    reads.push({ locale, cursor });
    const visible = events.filter((e) => e.committed);
    const timeline = visible.filter((e) => e.id > cursor.after || (cursor.horizon !== undefined && e.xid >= Number(cursor.horizon))).map(({ id }) => ({ id }));
    const horizon = Math.min(nextXid, ...events.filter((e) => !e.committed).map((e) => e.xid));
    return {
      status: { locale, state, final: state === 'delivered', lastEventId: visible.at(-1)?.id ?? 0, timelineAfter: 0, timeline },
      horizon: String(horizon),
    };
  });
  const settle = () => new Promise((r) => setTimeout(r, 10));
  return {
    feeds,
    reads,
    listeners,
    /** a transaction writing these events; committed at once unless told otherwise */
    write: (ids: number[], committed = true) => {
      const xid = nextXid++;
      for (const id of ids) events.push({ id, xid, committed });
      events.sort((a, b) => a.id - b.id);
      return { commit: () => events.filter((e) => e.xid === xid).forEach((e) => (e.committed = true)) };
    },
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
  return {
    got,
    ids: () => got.map((s) => s.timeline.map((e) => e.id)),
    send: (s: Status, _cursor: StreamCursor, text: string) => (assert.deepEqual(JSON.parse(text), s), got.push(s)),
  };
};

test('a stream gets the whole timeline first, then only the new events, each once', async () => {
  const w = world();
  w.write([1, 2, 3]);
  const a = follower();
  const stop = w.feeds.follow('o1', 'fr', { after: 0 }, a.send);
  await w.settle();
  w.write([4, 5]);
  await w.notify();
  await w.notify(); // nothing new: nothing sent
  assert.deepEqual(a.ids(), [
    [1, 2, 3],
    [4, 5],
  ]);
  assert.deepEqual(
    a.got.map((s) => s.timelineAfter),
    [0, 3],
  );
  assert.equal(a.got[1]!.lastEventId, 5);
  // the order is delivered without a new event: the final status still goes out, once
  w.setState('delivered');
  await w.notify();
  await w.notify();
  assert.equal(a.got.length, 3);
  assert.equal(a.got[2]!.final, true);
  stop();
  assert.equal(w.listeners.size, 0, 'the last stream gone, the order is no longer followed');
  assert.equal(w.feeds.followed(), 0);
});

test('an event committed after one with a greater id still reaches the stream, once', async () => {
  const w = world();
  w.write([1, 2]);
  const a = follower();
  w.feeds.follow('o1', 'fr', { after: 0 }, a.send);
  await w.settle();
  const slow = w.write([3], false); // id 3 taken, its transaction still running
  w.write([4]); // id 4 commits first
  await w.notify();
  slow.commit();
  await w.notify();
  await w.notify();
  assert.deepEqual(a.ids(), [[1, 2], [4], [3]]);
});

test('streams of one order share one read per change and locale; a resumed stream gets what it lacks', async () => {
  const w = world();
  w.write([1, 2, 3]);
  w.write([4]);
  const fr1 = follower();
  const fr2 = follower();
  const en = follower();
  w.feeds.follow('o1', 'fr', { after: 0 }, fr1.send);
  w.feeds.follow('o1', 'fr', { after: 3, horizon: '101' }, fr2.send); // a browser reconnecting after event 3
  w.feeds.follow('o1', 'en', { after: 0 }, en.send);
  await w.settle();
  assert.deepEqual(fr2.ids()[0], [4]);
  assert.equal(fr2.got[0]!.timelineAfter, 3);
  w.reads.length = 0;
  w.write([5]);
  await w.notify();
  assert.deepEqual(w.reads.map((r) => r.locale).sort(), ['en', 'fr'], 'one read per locale, not per stream');
  for (const f of [fr1, fr2, en]) assert.deepEqual(f.ids().at(-1), [5]);
  assert.equal(w.listeners.size, 1, 'one subscription for the order');
});

test('the client adds what the stream sends to what it has, in id order, and asks again when a piece does not follow', () => {
  const entry = (id: number) => ({ id, type: 't', at: '2026-01-01T00:00:00Z', message: `m${id}` });
  const base = { lastEventId: 4, timelineAfter: 0, timeline: [1, 2, 4].map(entry) } as unknown as OrderStatus;
  // 3 came late, 5 is new; 4 sent again is kept once
  const next = { lastEventId: 5, timelineAfter: 4, timeline: [3, 4, 5].map(entry), state: 'deploying' } as unknown as OrderStatus;
  const merged = mergeStatus(base, next)!;
  assert.deepEqual(
    merged.timeline.map((e) => e.id),
    [1, 2, 3, 4, 5],
  );
  assert.equal(merged.state, 'deploying');
  // a whole status replaces what we had
  assert.equal(mergeStatus(merged, base), base);
  // a piece after event 7 when we have up to 5: a gap, the caller fetches the whole status
  assert.equal(mergeStatus(merged, { ...next, timelineAfter: 7 } as OrderStatus), undefined);
  assert.equal(mergeStatus(null, next), undefined);
});
