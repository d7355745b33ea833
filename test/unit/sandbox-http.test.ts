// The sandbox servers' shared HTTP plumbing: route templates, body limits, JSON reading, rate windows, deadlines, and
// a listener that answers a failing handler — over real HTTP on loopback where a socket is involved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '../../src/sandbox/http/router.ts';
import { BodyTooLarge, canonicalJson, jsonObject, readBody } from '../../src/sandbox/http/body.ts';
import { SlidingWindow } from '../../src/sandbox/http/rate-window.ts';
import { listenHttp } from '../../src/sandbox/http/server.ts';
import { sendJson } from '../../src/sandbox/http/answer.ts';
import { langOf } from '../../src/sandbox/http/html.ts';
import { Deadline, KeptFor } from '../../src/sandbox/clock.ts';

test('a route template matches its method and path, gives its {params}, and {rest*} takes the remaining segments', () => {
  const router = new Router<string>(decodeURIComponent)
    .add('GET', '/v1/refunds/{id}', 'refund')
    .add('POST', '/v1/checkout/sessions/{id}/expire', 'expire')
    .add('PUT', '/deploys/{deploy_id}/files/{path*}', 'upload');
  assert.deepEqual(router.find('GET', '/v1/refunds/re_123'), { route: 'refund', params: { id: 're_123' } });
  assert.equal(router.find('POST', '/v1/refunds/re_123'), undefined, 'another method is another route');
  assert.equal(router.find('GET', '/v1/refunds/'), undefined, 'a parameter is never empty');
  assert.equal(router.find('GET', '/v1/refunds/re_1/more'), undefined, 'no extra segments');
  assert.deepEqual(router.find('POST', '/v1/checkout/sessions/cs_1/expire')?.params, { id: 'cs_1' });
  assert.deepEqual(router.find('PUT', '/deploys/d1/files/assets/a%20b.css'), { route: 'upload', params: { deploy_id: 'd1', path: 'assets/a b.css' } });
  assert.equal(router.find('PUT', '/deploys/d1/files'), undefined, 'a rest parameter takes one segment at least');
});

test('a body over the limit is refused and cut; a body within it is read whole', async () => {
  let outcome: unknown;
  const server = http.createServer((req, res) => {
    readBody(req, 10).then(
      (body) => {
        outcome = body.toString('utf8');
        res.end('ok');
      },
      (err: unknown) => {
        outcome = err;
        res.destroy();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    assert.equal(await (await fetch(url, { method: 'POST', body: '0123456789' })).text(), 'ok');
    assert.equal(outcome, '0123456789');
    await assert.rejects(fetch(url, { method: 'POST', body: '0123456789A' }));
    assert.ok((outcome as unknown) instanceof BodyTooLarge);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('JSON bodies: blank is {}, anything but an object is refused; canonical JSON ignores key order', () => {
  assert.deepEqual(jsonObject('  '), {});
  assert.deepEqual(jsonObject('{"a":1}'), { a: 1 });
  for (const text of ['[1]', '"x"', 'null', '{', '3']) assert.equal(jsonObject(text), undefined, text);
  assert.equal(canonicalJson({ b: [2, { d: 1, c: 0 }], a: 1 }), canonicalJson({ a: 1, b: [2, { c: 0, d: 1 }] }));
  assert.notEqual(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }));
});

test('a sliding window counts allowed calls only, per key, and frees a call once it leaves the window', () => {
  const window = new SlidingWindow(2, 1000);
  assert.equal(window.take('k', 0).remaining, 1);
  assert.equal(window.take('k', 10).remaining, 0);
  const refused = window.take('k', 20);
  assert.equal(refused.allowed, false);
  assert.equal(refused.resetAt, 1000, 'the oldest call leaves at 1000');
  assert.equal(window.take('other', 20).allowed, true, 'keys are counted apart');
  assert.equal(window.peek('k', 999).allowed, false);
  assert.equal(window.take('k', 1000).allowed, true, 'the first call left the window');
});

test('hosted pages speak French to any French tag and English otherwise', () => {
  for (const tag of ['fr', 'fr-FR', ' FR-ca', 'fr-CH,fr;q=0.9']) assert.equal(langOf(tag), 'fr', tag);
  for (const tag of [undefined, '', 'en-US', 'de', 'es-FR']) assert.equal(langOf(tag), 'en', String(tag));
});

test('a deadline never fires before its moment, and a cancelled one never fires', async () => {
  // deadlines never keep the process alive; this test does, while it waits for them
  const keepAlive = setInterval(() => {}, 1000);
  const at = Date.now() + 30;
  const firedAt = await new Promise<number>((resolve) => new Deadline(at, () => resolve(Date.now())));
  assert.ok(firedAt >= at, `fired at ${firedAt}, due at ${at}`);
  let cancelledFired = false;
  new Deadline(Date.now(), () => (cancelledFired = true)).cancel();
  await new Promise<void>((resolve) => new Deadline(Date.now() + 5, resolve));
  assert.equal(cancelledFired, false);
  const kept = new KeptFor<string>(60_000);
  kept.set('key', 'first answer');
  assert.equal(kept.get('key'), 'first answer');
  assert.equal(kept.get('other'), undefined);
  kept.close();
  clearInterval(keepAlive);
});

test('a handler that throws before answering gets the provider-shaped failure; one that already wrote is cut', async () => {
  const listener = await listenHttp(
    (req, res) => {
      if (req.url === '/late') {
        res.writeHead(200);
        res.write('partial');
      }
      throw new Error('boom');
    },
    { failure: (res, err) => sendJson(res, 500, { error: String(err) }) },
  );
  try {
    assert.match(listener.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const early = await fetch(`${listener.url}/early`);
    assert.equal(early.status, 500);
    assert.deepEqual(await early.json(), { error: 'Error: boom' });
    await assert.rejects(async () => (await fetch(`${listener.url}/late`)).text());
  } finally {
    await listener.close();
  }
});
