// `npm run bench [-- names…] [--quick] [--set key=value…] [--no-record] [--statements] [--profile DIR]`: runs the benchmarks (all, or those named)
// on one embedded PostgreSQL and writes the run's full record (machine, commit, every figure, what limits it) to bench/results/.
// BENCHMARKS.md keeps only the table of current figures, updated by hand from these records.
import fs from 'node:fs';
import path from 'node:path';
import type { Benchmark, BenchContext, BenchResult } from './lib/bench.ts';
import { machine } from './lib/machine.ts';
import { machineCpu } from './lib/procs.ts';
import os from 'node:os';
import { inspection, root, startBenchPostgres } from './lib/scenario.ts';
import { intakeBench } from './intake.ts';
import { pipelineBench } from './pipeline.ts';
import { scalingBench } from './scaling.ts';
import { concurrencyBench } from './concurrency.ts';
import { liveBench } from './live.ts';
import { webhooksBench } from './webhooks.ts';
import { watchingBench } from './watching.ts';
import { overheadBench } from './overhead.ts';
import { invoicingBench } from './invoicing.ts';
import { quotasBench } from './quotas.ts';
import { renewalsBench } from './renewals.ts';

/** Full sizes are the issue's; --quick ones keep a whole run within minutes on 2 cores. Both are printed with the figures. */
const SIZES: Record<string, { full: string; quick: string }> = {
  'intake.rates': { full: '100,500', quick: '100,500' },
  'intake.seconds': { full: '30', quick: '5' },
  'pipeline.orders': { full: '10000', quick: '500' },
  'pipeline.timeoutMinutes': { full: '60', quick: '10' },
  'scaling.workers': { full: '1,2,3', quick: '1,2,3' },
  'scaling.orders': { full: '3000', quick: '500' },
  'concurrency.orders': { full: '10000', quick: '500' },
  'concurrency.latencyScale': { full: '0.1', quick: '0.1' },
  'concurrency.workers': { full: '2', quick: '2' },
  'concurrency.workerConcurrency': { full: '50', quick: '50' },
  'concurrency.timeoutMinutes': { full: '120', quick: '15' },
  'live.clients': { full: '1000', quick: '200' },
  'webhooks.rate': { full: '200', quick: '200' },
  'webhooks.seconds': { full: '30', quick: '5' },
  'watching.sites': { full: '20000', quick: '2000' },
  'watching.periodSeconds': { full: '300', quick: '30' },
  'overhead.orders': { full: '200', quick: '30' },
  'overhead.perSecond': { full: '2', quick: '2' },
  'overhead.latencyScale': { full: '0.1', quick: '0.1' },
  'invoicing.payments': { full: '1000', quick: '200' },
  'invoicing.rounds': { full: '2', quick: '1' },
  'quotas.customers': { full: '100,1000', quick: '100' },
  'quotas.latencyScale': { full: '1', quick: '1' },
  'quotas.paid': { full: '40', quick: '20' },
  'quotas.timeoutMinutes': { full: '15', quick: '8' },
  'quotas.watched': { full: '100000', quick: '5000' },
  'renewals.domains': { full: '100000', quick: '10000' },
};

const BENCHMARKS: Benchmark[] = [
  intakeBench,
  pipelineBench,
  scalingBench,
  concurrencyBench,
  liveBench,
  webhooksBench,
  watchingBench,
  overheadBench,
  quotasBench,
  renewalsBench,
  invoicingBench,
];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const record = !args.includes('--no-record');
const sets = new Map<string, string>();
inspection.statements = args.includes('--statements');
const profileAt = args.indexOf('--profile');
if (profileAt >= 0) {
  inspection.profileDir = path.resolve(args[profileAt + 1] ?? 'bench-profiles');
  fs.mkdirSync(inspection.profileDir, { recursive: true });
}
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  const v = a === '--set' ? args[++i] : a.startsWith('--set=') ? a.slice(6) : undefined;
  if (v === undefined) continue;
  const [k, val] = v.split('=');
  if (!k || val === undefined || !(k in SIZES)) {
    console.error(`--set ${v}: unknown size; known: ${Object.keys(SIZES).join(', ')}`);
    process.exit(2);
  }
  sets.set(k, val);
}
const names = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--set' && args[i - 1] !== '--profile');
const chosen = names.length ? BENCHMARKS.filter((b) => names.includes(b.name) || names.includes(b.key)) : BENCHMARKS;
const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n || b.key === n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => `${b.name} (${b.key})`).join(', ')}`);
  process.exit(2);
}

const sizeOf = (key: string): string => {
  const s = SIZES[key];
  if (!s) throw new Error(`no size ${key}`);
  return sets.get(key) ?? (quick ? s.quick : s.full);
};

const started = Date.now();
const log = (m: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${m}\n`);
log(`starting PostgreSQL (embedded) for the run`);
const pg = await startBenchPostgres();
const ctx: BenchContext = {
  pg,
  quick,
  size: (k) => Number(sizeOf(k)),
  sizeList: (k) => sizeOf(k).split(',').map(Number),
  shared: new Map(),
  log,
};
// Ctrl-C: app processes are killed on exit (scenario.ts); PostgreSQL is stopped first
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void pg.stop().finally(() => process.exit(130));
  });
}
const m = machine(pg.version);
const sections: string[] = [];
let failures = 0;
try {
  for (const b of chosen) {
    log(`${b.title}`);
    const t = Date.now();
    const load = os.loadavg()[0]!;
    const cpu0 = machineCpu();
    let result: BenchResult | undefined;
    let error: unknown;
    try {
      result = await b.run(ctx);
    } catch (err) {
      error = err;
      failures++;
      log(`FAILED: ${(err as Error).stack ?? err}`);
    }
    const took = ((Date.now() - t) / 1000).toFixed(0);
    const cpu1 = machineCpu();
    // the machine may be shared: how busy all of it was (this run's processes and anyone else's)
    const busy = ((cpu1.busy - cpu0.busy) / Math.max(1e-9, cpu1.total - cpu0.total)) * 100;
    const lines = [`## ${b.title}`, ''];
    if (result) {
      lines.push(
        `Ran: ${result.ran} (took ${took} s).  `,
        `Machine while it ran: ${busy.toFixed(0)} % of all ${os.cpus().length} cores busy (this run's processes and any others), load average ${load.toFixed(1)} at its start.  `,
        `Rerun: \`${b.rerun}\``,
        '',
        ...result.lines,
        '',
        'What limits it:',
        '',
        ...result.limits.map((l) => `- ${l}`),
        '',
      );
    } else {
      lines.push(`**Failed** after ${took} s: \`${String((error as Error)?.message ?? error).split('\n')[0]}\``, '');
    }
    sections.push(lines.join('\n'));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
} finally {
  await pg.stop();
}

const header = [
  `# Run of ${m.date.slice(0, 16).replace('T', ' ')} UTC — ${quick ? '`--quick` sizes' : 'full sizes'}${sets.size ? ` with ${[...sets].map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`,
  '',
  `Machine: ${m.nproc} CPU (${m.cpu}), ${m.memory} memory; Node ${m.node}; PostgreSQL ${m.postgres} (embedded, as \`npm start\` runs it). Commit ${m.commit}.  `,
  `Command: \`npm run bench -- ${args.join(' ')}\`; total ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  '',
].join('\n');
if (record) {
  // one file a run, named by its start and commit: the record is never edited afterwards
  const dir = path.join(root, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const [short, ...changes] = m.commit.split(' ');
  const name = `${m.date.slice(0, 10)}T${m.date.slice(11, 13)}${m.date.slice(14, 16)}Z-${short}${changes.length ? '-dirty' : ''}${quick ? '-quick' : ''}.md`;
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${header}\n${sections.join('\n')}`);
  log(`recorded in ${path.relative(root, file)}`);
}
process.exit(failures ? 1 : 0);
