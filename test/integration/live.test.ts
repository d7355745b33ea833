// The live status stream: past events first, then each change as it commits, even when the step ran in another process.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { startWorker } from '../../src/workflow/runner.ts';
import { createDatabase } from '../../src/db/database.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ RUN_WORKER: 'false' });
});
after(async () => sys?.stop());

/** Reads an SSE stream and keeps every `status` event's data. */
function listen(url: string, headers: Record<string, string> = {}) {
  const statuses: any[] = [];
  /** each status event's SSE id: what the browser sends back as Last-Event-ID when it reconnects */
  const ids: string[] = [];
  let raw = '';
  const req = http.get(url, { headers }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      raw += chunk;
      let i;
      while ((i = raw.indexOf('\n\n')) >= 0) {
        const block = raw.slice(0, i);
        raw = raw.slice(i + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (block.includes('event: status') && data) {
          statuses.push(JSON.parse(data));
          ids.push(
            block
              .split('\n')
              .find((l) => l.startsWith('id: '))
              ?.slice(4) ?? '',
          );
        }
      }
    });
  });
  return { statuses, ids, close: () => req.destroy(), headers: new Promise<http.IncomingHttpHeaders>((r) => req.on('response', (res) => r(res.headers))) };
}

test('SSE: the current status at once, then live updates through LISTEN/NOTIFY, with ETA and links', async () => {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Épicerie Nova',
      email: 'nova@example.org',
      domain: 'epicerie-nova.fr',
      tier: 'express',
      locale: 'fr',
    },
  });
  const stream = listen(`${sys.url}/api/concierge/status/${r.body.trackingToken}/events`);
  const headers = await stream.headers;
  assert.match(String(headers['content-type']), /text\/event-stream/);
  const first = await eventually(async () => stream.statuses[0]);
  assert.equal(first.state, 'awaiting_payment');
  assert.ok(first.timeline.length >= 3, 'past events first');
  assert.equal(first.eta, null);

  // the steps run in "another process": a worker with its own connection pool
  const other = createDatabase(sys.databaseUrl);
  const worker = await startWorker({ ...sys.deps, db: other.db }, other.pool, { concurrency: 5 });
  try {
    const link = await sys.db.selectFrom('payment_links').select('provider_ref').where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
    sys.sandbox!.stripe.pay(link.provider_ref!);
    const live = await eventually(async () => stream.statuses.find((s) => s.state !== 'awaiting_payment' && s.state !== 'delivered' && s.eta));
    assert.ok(live.steps.some((s: { state: string }) => s.state === 'current'));
    assert.ok(live.currentStepEtaSeconds > 0);
    const done = await eventually(async () => stream.statuses.find((s) => s.state === 'delivered'), 20_000);
    assert.equal(done.siteUrl, 'https://epicerie-nova.fr/');
    assert.match(done.editorUrl, /\/editor\//);
    assert.ok(done.steps.every((s: { state: string }) => s.state === 'done'));
    assert.ok(stream.statuses.length >= 4, `only ${stream.statuses.length} updates`);
    // ids grow: each update carries the last event id
    const ids = stream.statuses.map((s) => s.lastEventId);
    assert.deepEqual(
      [...ids].sort((a, b) => a - b),
      ids,
    );
    // each update holds only the events the stream has not sent yet: put together by id (an event that committed late
    // comes in a later update than one with a greater id), they are the whole timeline, each once
    await eventually(async () => {
      const whole = (await sys.api(`/api/concierge/status/${r.body.trackingToken}`)).body.timeline.map((e: { id: number }) => e.id);
      const pieces = stream.statuses.flatMap((s) => s.timeline.map((e: { id: number }) => e.id));
      assert.equal(new Set(pieces).size, pieces.length, `an event sent twice: ${pieces}`);
      return JSON.stringify([...pieces].sort((a, b) => a - b)) === JSON.stringify(whole);
    });
    stream.statuses.slice(1).forEach((s, i) => assert.equal(s.timelineAfter, stream.statuses[i].lastEventId));

    // a browser reconnecting with the last id it got is sent what came after, not the whole timeline again
    const resumeAfter = stream.statuses[1].lastEventId;
    assert.match(stream.ids[1]!, new RegExp(`^${resumeAfter}:\\d+$`));
    const resumed = listen(`${sys.url}/api/concierge/status/${r.body.trackingToken}/events`, { 'last-event-id': stream.ids[1]! });
    try {
      const again = await eventually(async () => resumed.statuses[0]);
      assert.equal(again.timelineAfter, resumeAfter);
      assert.ok(again.timeline.length > 0 && again.timeline.every((e: { id: number }) => e.id > resumeAfter));
    } finally {
      resumed.close();
    }
  } finally {
    stream.close();
    await worker.stop();
    await other.db.destroy();
  }
});

test('SSE for an unknown token is 404', async () => {
  const r = await sys.api(`/api/concierge/status/${'C'.repeat(32)}/events`);
  assert.equal(r.status, 404);
});
