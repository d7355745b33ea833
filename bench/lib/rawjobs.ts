// graphile-worker's own throughput on this machine, as the pipeline uses it: `chains` no-op chains of `length` jobs
// (bench/lib/noop-worker.ts), queued first, run by one process with the app's options.
import { spawn } from 'node:child_process';
import { makeWorkerUtils } from 'graphile-worker';
import { silentWorkerLogger } from '../../src/db/migrate.ts';
import { root, track } from './scenario.ts';

export async function rawJobThroughput(
  databaseUrl: string,
  o: { chains: number; length: number; concurrency: number },
): Promise<{ jobs: number; depth: number; seconds: number; jobsPerSecond: number }> {
  const utils = await makeWorkerUtils({ connectionString: databaseUrl, logger: silentWorkerLogger });
  try {
    for (let i = 0; i < o.chains; i += 10_000) {
      const n = Math.min(10_000, o.chains - i);
      await utils.addJobs(
        Array.from({ length: n }, (_, k) => ({ identifier: 'noop', payload: { chain: i + k, n: 0 }, jobKey: `chain:${i + k}:0`, maxAttempts: 25 })),
      );
    }
  } finally {
    await utils.release();
  }
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'bench/lib/noop-worker.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, CHAINS: String(o.chains), LENGTH: String(o.length), CONCURRENCY: String(o.concurrency) },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`no-op worker exited with ${code}`);
  const r = JSON.parse(out.trim().split('\n').pop()!) as { jobs: number; seconds: number };
  return { ...r, depth: o.chains, jobsPerSecond: r.jobs / r.seconds };
}
