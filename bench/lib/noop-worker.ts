// The reference for the pipeline: graphile-worker running no-op jobs with the app's worker options (runner.ts), in
// its own process. JOBS no-op jobs are queued beforehand; prints {"jobs","seconds"} once they have all run.
// DATABASE_URL=… JOBS=50000 CONCURRENCY=10 node --import tsx bench/lib/noop-worker.ts
import { run } from 'graphile-worker';
import { EventEmitter } from 'node:events';
import { createDatabase } from '../../src/db/database.ts';
import { silentWorkerLogger } from '../../src/db/migrate.ts';

const jobs = Number(process.env.JOBS);
const { pool } = createDatabase(process.env.DATABASE_URL!, 30); // the worker role's pool size (system.ts)
const events = new EventEmitter();
let done = 0;
let finished!: () => void;
const allDone = new Promise<void>((r) => (finished = r));
events.on('job:success', () => ++done === jobs && finished());
const started = performance.now();
const runner = await run({
  pgPool: pool,
  concurrency: Number(process.env.CONCURRENCY ?? 10),
  noHandleSignals: true,
  pollInterval: 1000,
  logger: silentWorkerLogger,
  taskList: { noop: async () => {} },
  events: events as never,
  // the same as src/workflow/runner.ts
  preset: { worker: { localQueue: { size: 50 }, completeJobBatchDelay: 0 } },
});
await allDone;
const seconds = (performance.now() - started) / 1000;
await runner.stop();
await pool.end();
process.stdout.write(JSON.stringify({ jobs, seconds }) + '\n');
process.exit(0);
