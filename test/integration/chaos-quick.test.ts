// `npm run chaos -- --quick` as part of the test run: a dozen orders through 10 % provider faults, duplicated and replayed webhooks, SIGKILLed workers and a PostgreSQL restart, books checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

test("quick chaos run: every order not meant to be refunded delivered, nothing twice in the providers' books, nothing lost, late orders alerted", {
  timeout: 240_000,
}, async () => {
  // its own PostgreSQL (it stops and restarts it), its own API, sandbox world and worker processes
  const child = spawn(process.execPath, ['--import', 'tsx', 'chaos/run.ts', '--quick'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c));
  child.stderr.on('data', (c: Buffer) => (err += c));
  // 30 to 60 s on a quiet 2-core machine (the run flags itself past 120 s); the margin is for a machine busy with other suites
  const timer = setTimeout(() => child.kill('SIGTERM'), 230_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  const last = out.trim().split('\n').at(-1) ?? '';
  assert.equal(code, 0, `chaos failed:\n${out}\n${err.split('\n').slice(-15).join('\n')}`);
  const m =
    /^chaos: (\d+) orders, \d+ delivered, (\d+) refunded \((\d+) certain\), 100\.0 % of the others delivered, 0 stuck, 0 double purchases, 0 double charges, 0 double refunds, 0 double sites, 0 double emails, \d+ emails re-delivered with the same Message-ID, 0 lost events, \d+ at risk, \d+ deadlines missed, 0 not alerted, \d+ SIGKILLs \((\d+) at a purchase, (\d+) at a refund\), \d+ PostgreSQL restarts, (\d+) answers lost after the work, \d+ s.* — PASS$/.exec(
      last,
    );
  assert.ok(m, `unexpected summary: ${last}`);
  // 12 orders through the faults and kills, then the calm tail (express orders whose DNS propagates slowly)
  assert.ok(Number(m[1]) >= 13, 'the faulty orders and the calm tail');
  assert.ok(Number(m[2]) >= 1, 'at least one order refunded');
  assert.equal(m[3], m[2], 'every refund one the run made certain: no transient fault became a refund');
  assert.ok(Number(m[4]) >= 1, 'a worker killed as the sandbox received its purchase');
  assert.ok(Number(m[5]) >= 1, 'a worker killed as the sandbox received its refund');
  assert.ok(Number(m[6]) >= 1, 'at least one answer lost after the work was done');
  // the rows counted from the providers' own books, each passing
  for (const check of [
    'purchase requests for a name after our account bought it',
    'refund requests for one payment beyond the first',
    'sites the host made for one order beyond the first',
    'of the paid orders the run did not make certain to be refunded, share delivered',
  ]) {
    const line = out.split('\n').find((l) => l.startsWith(`| ${check}`));
    assert.ok(line?.trimEnd().endsWith('| PASS |'), `${check}: ${line}`);
  }
});
