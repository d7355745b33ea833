// The reference for the pipeline: graphile-worker with the app's worker options (runner.ts), in its own process,
// running chains of no-op jobs shaped like the pipeline's: CHAINS jobs queued beforehand (one per order), each job
// enqueuing the next of its chain under a job key (as a step enqueues the next step) until LENGTH jobs a chain — so
// the queue holds CHAINS jobs throughout, as it holds one job per order in flight. Prints {"jobs","seconds"}.
// DATABASE_URL=… CHAINS=10000 LENGTH=8 CONCURRENCY=10 node --import tsx bench/lib/noop-worker.ts
import { run, type Task } from 'graphile-worker';
import { EventEmitter } from 'node:events';
import { createDatabase } from '../../src/db/database.ts';
import { silentWorkerLogger } from '../../src/db/migrate.ts';

const chains = Number(process.env.CHAINS);
const length = Number(process.env.LENGTH ?? 1);
const jobs = chains * length;
const { pool } = createDatabase(process.env.DATABASE_URL!, 30); // the worker role's pool size (system.ts)
const events = new EventEmitter();
let done = 0;
let finished!: () => void;
const allDone = new Promise<void>((r) => (finished = r));
let started = NaN;
// timed from the first job's start: the runner's own start (connections, LISTEN) is not job throughput
events.once('job:start', () => (started = performance.now()));
events.on('job:success', () => ++done === jobs && finished());
/** A job's place in its chain, as the jobs before it wrote it. */
function link(p: unknown): { chain: number; n: number } {
  if (typeof p === 'object' && p !== null && 'chain' in p && 'n' in p && typeof p.chain === 'number' && typeof p.n === 'number')
    return { chain: p.chain, n: p.n };
  throw new Error('not a link of a chain');
}
const noop: Task = async (payload, helpers) => {
  const { chain, n } = link(payload);
  if (n + 1 < length) await helpers.addJob('noop', { chain, n: n + 1 }, { jobKey: `chain:${chain}:${n + 1}`, maxAttempts: 25 });
};
const runner = await run({
  pgPool: pool,
  concurrency: Number(process.env.CONCURRENCY ?? 10),
  noHandleSignals: true,
  pollInterval: 1000,
  logger: silentWorkerLogger,
  taskList: { noop },
  events: events as never,
  // the same as src/workflow/runner.ts
  preset: { worker: { localQueue: { size: 50 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
});
await allDone;
const seconds = (performance.now() - started) / 1000;
await runner.stop();
await pool.end();
process.stdout.write(`${JSON.stringify({ jobs, seconds })}\n`);
process.exit(0);
