// The contract's own rules: what its sent-only schemas put on the wire, that its lists agree with the server's, and that the web takes only types from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { apiError, instant, oneOf, stored } from '../../src/contract/common.ts';
import { STEP_NAMES } from '../../src/contract/orders.ts';
import { pipeline } from '../../src/workflow/pipeline.ts';

test('the contract names the pipeline’s steps in the pipeline’s order', () => {
  assert.deepEqual(
    pipeline.map((p) => p.step.name),
    [...STEP_NAMES],
  );
});

test('an instant goes out as ISO 8601 text, whether the server holds a Date or the text', () => {
  assert.equal(z.encode(instant, new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), '2026-01-02T03:04:05.000Z');
  assert.equal(z.encode(instant, '2026-01-02T03:04:05Z'), '2026-01-02T03:04:05Z');
  assert.equal(z.safeEncode(instant, 12 as unknown as Date).success, false, 'a number is no instant');
});

test('a value the server holds as a string goes out only if it is one the contract lists; stored JSON goes out in its declared shape', () => {
  const state = oneOf(['open', 'resolved']);
  assert.equal(z.encode(state, 'open'), 'open');
  assert.equal(z.safeEncode(state, 'opened').success, false, 'an unlisted value is the server’s bug, never sent');
  const offered = stored(z.array(z.object({ domain: z.string() })));
  assert.deepEqual(z.encode(offered, [{ domain: 'a.fr', secret: 1 }]), [{ domain: 'a.fr' }], 'what is not declared is not sent');
  assert.equal(z.safeEncode(offered, [{ name: 'a.fr' }]).success, false);
  assert.throws(() => z.decode(state, 'open'), /cannot read a request/, 'these schemas describe answers only');
});

test('the error shape keeps what a code carries besides code and message', () => {
  const body = { code: 'domain_taken' as const, message: 'Ce nom est pris.', domain: 'a.fr', alternatives: [{ domain: 'b.fr' }], fields: [] };
  assert.deepEqual(z.encode(apiError, body), body);
});

test('the web takes only types from the contract: nothing of it (nor zod) reaches the bundle', () => {
  const web = path.resolve(import.meta.dirname, '../../web/src');
  const files = fs.readdirSync(web, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
  const problems: string[] = [];
  let typed = 0;
  for (const file of files) {
    const text = fs.readFileSync(path.join(web, file), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)) {
      const [statement, typeOnly, from] = m as unknown as [string, string | undefined, string];
      const fromContract = from.startsWith('@contract/') || from.includes('/src/contract/');
      if (fromContract && typeOnly) typed++;
      if ((fromContract || from === 'zod') && !typeOnly) problems.push(`${file}: ${statement}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(typed >= 3, `the web’s API modules import their types from the contract (${typed} imports)`);
});
