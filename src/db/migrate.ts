// Runs the plain SQL migrations of src/db/migrations in order, once each, under an advisory lock (several processes may start at once).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import { catalogueRows } from '../workflow/jobs/catalogue.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_ID = 7_466_121; // any constant shared by every Conciergerie process

export async function migrate(connectionString: string): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_ID]);
    await client.query('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())');
    const done = new Set((await client.query('select name from schema_migrations')).rows.map((r) => r.name as string));
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query('insert into schema_migrations (name) values ($1)', [file]);
        await client.query('commit');
        applied.push(file);
      } catch (err) {
        await client.query('rollback');
        throw new Error(`migration ${file} failed: ${(err as Error).message}`);
      }
    }
    await writeJobCatalogue(client);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_ID]).catch(() => {});
    await client.end();
  }
  // graphile-worker's own schema, so the API can add jobs (in its transactions) before any worker runs
  await runWorkerMigrations({ connectionString, logger: silentWorkerLogger });
  return applied;
}

/**
 * The job catalogue's rows (src/workflow/jobs/catalogue.ts) into job_catalogue, which the SQL that queues jobs reads:
 * written at every start, so the table is the catalogue of the code now running. Rows already right are not touched.
 */
async function writeJobCatalogue(client: pg.Client): Promise<void> {
  await client.query(
    `with rows as (
       select * from jsonb_to_recordset($1::jsonb) as r(task text, key_template text, queue_template text, max_attempts int, priority int)
     ), upserted as (
       insert into job_catalogue (task, key_template, queue_template, max_attempts, priority) select * from rows
       on conflict (task) do update set key_template = excluded.key_template, queue_template = excluded.queue_template,
         max_attempts = excluded.max_attempts, priority = excluded.priority
       where (job_catalogue.key_template, job_catalogue.queue_template, job_catalogue.max_attempts, job_catalogue.priority)
         is distinct from (excluded.key_template, excluded.queue_template, excluded.max_attempts, excluded.priority)
     )
     delete from job_catalogue where task not in (select task from rows)`,
    [JSON.stringify(catalogueRows())],
  );
}

import { Logger as WorkerLogger } from 'graphile-worker';
export const silentWorkerLogger = new WorkerLogger(() => () => {});

/** Create the database named in the URL when it does not exist (embedded mode, first start). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
