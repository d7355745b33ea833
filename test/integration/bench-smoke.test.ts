// `npm run bench` at tiny sizes, every figure, nothing recorded: the benchmarks still run against the code as it is
// (a production-only configuration rule once made every figure fail at start-up, unseen until a full run).
// No timing is asserted: only that each figure ran to its table, with its integrity checks passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const digest = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

const TINY = [
  'intake.rates=20',
  'intake.seconds=1',
  'pipeline.orders=10',
  'scaling.orders=10',
  'scaling.workers=1,2',
  'concurrency.orders=10',
  'live.clients=5',
  'webhooks.rate=20',
  'webhooks.seconds=1',
  'watching.sites=20',
  'watching.periodSeconds=10',
  'renewals.domains=300',
  'overhead.orders=4',
  'invoicing.payments=20',
  'quotas.customers=5',
  'quotas.paid=2',
  'quotas.watched=200',
  'quotas.timeoutMinutes=3',
];

test('npm run bench, every figure at tiny sizes: each runs to its table, delivers everything, records nothing', { timeout: 600_000 }, async () => {
  const benchmarks = path.join(root, 'BENCHMARKS.md');
  const results = path.join(root, 'bench', 'results');
  const listing = () => (fs.existsSync(results) ? fs.readdirSync(results).sort().join('\n') : '');
  const before = digest(benchmarks);
  const recordsBefore = listing();
  const args = ['--import', 'tsx', 'bench/run.ts', '--quick', '--no-record', ...TINY.flatMap((s) => ['--set', s])];
  // NODE_ENV as a user's shell has it: the bench gives its app processes their own (production)
  const env = { ...process.env };
  delete env.NODE_ENV;
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c));
  child.stderr.on('data', (c: Buffer) => (out += c));
  const timer = setTimeout(() => child.kill('SIGTERM'), 590_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  const tail = out.split('\n').slice(-40).join('\n');
  assert.doesNotMatch(
    out,
    /FAILED|\*\*Failed\*\*/,
    `a figure failed:\n${out
      .split('\n')
      .filter((l) => /FAILED|Error/.test(l))
      .slice(0, 10)
      .join('\n')}`,
  );
  assert.equal(code, 0, tail);
  for (const key of ['a', 'b', '1', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']) {
    const section = out.split(/^## /m).find((s) => s.startsWith(`${key}) `));
    assert.ok(section, `figure ${key} printed its section`);
    assert.match(section!, /^\|.*\|$/m, `figure ${key} printed a table`);
  }
  assert.match(out, /every one delivered, none lost, nothing twice[^|]*\| \*\*yes\*\*/, 'figure c: everything delivered');
  assert.doesNotMatch(out, /Integrity: (?!(\d+)\/\1 delivered)/, 'every integrity line: all delivered');
  assert.doesNotMatch(
    out,
    /in the providers' books (?!0 names without exactly one purchase request and 0 orders without exactly one site made)/,
    "every integrity line: one purchase request per name and one site per order in the providers' books",
  );
  assert.match(out, /Exactly once: \*\*yes\*\*/, 'figure e: each webhook processed once');
  assert.match(out, /(\d+)\/\1 invoices, numbers 1–\1 with 0 gaps/, 'figure i: every payment invoiced, no gap');
  assert.equal(digest(benchmarks), before, '--no-record leaves BENCHMARKS.md alone');
  assert.equal(listing(), recordsBefore, '--no-record writes no record under bench/results');
});
