// The contract (src/contract): every route the app serves is registered with its entry there, declares every answer it gives, and the OpenAPI document at /docs shows them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { routes } from '../../src/contract/index.ts';
import { findOrderById } from '../../src/db/orders.ts';
import { orderStatus } from '../../src/workflow/status.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ RUN_WORKER: 'false' });
});
after(async () => sys?.stop());

/** The API documentation's own routes (@fastify/swagger-ui): they serve the document, they are not in it. */
const isDocs = (route: string) => / \/docs(\/|$)/.test(route);
const contract: Record<string, { response: Record<string, unknown> }> = routes;

test('every route the app serves is registered with its contract entry, and declares a success and the error shape', () => {
  const served = [...sys.app!.routeSchemas].filter(([route]) => !isDocs(route));
  assert.ok(served.length > 40, `${served.length} routes`);
  const problems: string[] = [];
  for (const [route, schema] of served) {
    const declared = contract[route];
    if (!declared) problems.push(`${route}: not in src/contract`);
    else if (schema !== declared) problems.push(`${route}: registered with another schema than its contract entry`);
    const statuses = Object.keys((schema as { response?: object } | undefined)?.response ?? {});
    if (!statuses.some((s) => /^[23]\d\d$/.test(s))) problems.push(`${route}: no success answer declared (${statuses.join(', ') || 'no response schema'})`);
    for (const range of ['4xx', '5xx']) if (!statuses.includes(range)) problems.push(`${route}: no ${range} answer declared`);
  }
  const registered = new Set(served.map(([route]) => route));
  for (const route of Object.keys(contract)) if (!registered.has(route)) problems.push(`${route}: in the contract, not served`);
  assert.deepEqual(problems, []);
});

test('the OpenAPI document has every route, and each operation documents its answers: success with a description and its content, errors as {code, message}', async () => {
  const r = await sys.api('/docs/json');
  assert.equal(r.status, 200);
  const doc = r.body as { paths: Record<string, Record<string, { responses: Record<string, ResponseDoc> }>> };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const documented = new Set(operations.map(({ path, method }) => `${method.toUpperCase()} ${path}`));
  const problems: string[] = [];
  for (const route of Object.keys(contract)) {
    const [method, url] = route.split(' ') as [string, string];
    const path = url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{*}');
    if (!documented.has(`${method} ${path}`)) problems.push(`${route}: not in the document (as ${method} ${path})`);
  }
  for (const { path, method, op } of operations) {
    const name = `${method.toUpperCase()} ${path}`;
    const entries = Object.entries(op.responses ?? {});
    const successes = entries.filter(([status]) => /^[23]\d\d$/.test(status));
    if (!successes.length) problems.push(`${name}: no success answer`);
    for (const [status, answer] of entries) {
      if (!answer.description || answer.description === 'Default Response') problems.push(`${name} ${status}: no description`);
      const bodyless = status === '204' || status.startsWith('3');
      if (!bodyless && !answer.content) problems.push(`${name} ${status}: no content`);
    }
    for (const range of ['4XX', '5XX']) {
      const schema = op.responses?.[range]?.content?.['application/json']?.schema;
      if (!schema?.properties?.code || !schema.properties.message) problems.push(`${name} ${range}: not the {code, message} shape`);
    }
  }
  assert.deepEqual(problems, []);
});

test('an answer is documented field by field: the order status, the site state and an admin list name what the web reads', async () => {
  const doc = (await sys.api('/docs/json')).body;
  const json = (path: string, method: string, status: string) => doc.paths[path][method].responses[status].content['application/json'].schema;
  const status = json('/api/concierge/status/{token}', 'get', '200');
  for (const field of ['state', 'steps', 'timeline', 'eta', 'site', 'editorOpen', 'lastEventId', 'timelineAfter']) assert.ok(status.properties[field], field);
  assert.ok(status.properties.state.enum.includes('delivered'), 'the states are listed');
  assert.deepEqual(status.properties.steps.items.properties.step.enum.slice(0, 2), ['register_domain', 'create_site']);
  assert.equal(status.properties.paidAt.format, 'date-time');
  const site = json('/api/sites/{token}', 'get', '200');
  assert.ok(site.properties.document.properties.pictures, 'the document with its pictures');
  const monitors = json('/api/admin/monitors', 'get', '200');
  assert.deepEqual(Object.keys(monitors.properties).sort(), ['items', 'nextCursor', 'total', 'totalIsExact']);
  assert.ok(monitors.properties.items.items.properties.certificateExpiresAt);
  const sse = doc.paths['/api/concierge/status/{token}/events'].get.responses['200'];
  assert.ok(sse.content['text/event-stream'], 'the live stream is declared as server-sent events');
  assert.ok(doc.paths['/api/sites/{token}/preview'].get.responses['200'].content['text/html'], 'the preview is declared as a page');
  assert.equal(doc.paths['/pay/{token}'].get.responses['303'].content, undefined, 'a redirect has no body');
});

test('an answer holds everything its handler made: nothing is dropped on the way out', async () => {
  const created = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Atelier Contrat',
      email: 'contrat@example.org',
      domain: 'atelier-contrat.fr',
      tier: 'standard',
      locale: 'fr',
      city: 'Lyon',
    },
  });
  assert.equal(created.status, 201);
  const order = (await findOrderById(sys.db, created.body.orderId))!;
  const made = JSON.parse(JSON.stringify(await orderStatus(sys.deps, order, 'fr')));
  const sent = (await sys.api(`/api/concierge/status/${created.body.trackingToken}?lang=fr`)).body;
  assert.deepEqual(Object.keys(sent).sort(), Object.keys(made).sort());
  assert.deepEqual({ ...sent, eta: null, elapsedSeconds: null }, { ...made, eta: null, elapsedSeconds: null });
  const detail = await sys.api(`/api/admin/orders/${order.id}`, { headers: { authorization: `Bearer ${sys.adminToken}` } });
  assert.equal(detail.status, 200);
  const { tracking_token: _kept, ...row } = JSON.parse(JSON.stringify(order));
  assert.deepEqual(detail.body.order, row, 'the order’s whole row but its tracking token');
});

interface ResponseDoc {
  description?: string;
  content?: Record<string, { schema?: { properties?: Record<string, unknown> } }>;
}
