// graphile-worker's raw throughput on this machine: no-op jobs, queued first, run by one process with the app's options.
import { spawn } from 'node:child_process';
import { makeWorkerUtils } from 'graphile-worker';
import { silentWorkerLogger } from '../../src/db/migrate.ts';
import { root, track } from './scenario.ts';

export async function rawJobThroughput(databaseUrl: string, jobs: number, concurrency: number): Promise<{ jobs: number; seconds: number; jobsPerSecond: number }> {
  const utils = await makeWorkerUtils({ connectionString: databaseUrl, logger: silentWorkerLogger });
  try {
    for (let i = 0; i < jobs; i += 10_000) {
      const n = Math.min(10_000, jobs - i);
      await utils.addJobs(Array.from({ length: n }, () => ({ identifier: 'noop', payload: {} })));
    }
  } finally {
    await utils.release();
  }
  const child = track(spawn(process.execPath, ['--import', 'tsx', 'bench/lib/noop-worker.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, JOBS: String(jobs), CONCURRENCY: String(concurrency) },
    stdio: ['ignore', 'pipe', 'inherit'],
  }));
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`no-op worker exited with ${code}`);
  const r = JSON.parse(out.trim().split('\n').pop()!) as { jobs: number; seconds: number };
  return { ...r, jobsPerSecond: r.jobs / r.seconds };
}
