// A transaction PostgreSQL fails to break a deadlock is run again, and passes; any other error is not retried.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createDatabase, transactionRetrying, type Database } from '../../src/db/database.ts';
import { freshDatabase } from '../support/db.ts';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
before(async () => {
  database = await freshDatabase();
  db = createDatabase(database.url, 4).db;
  await sql`create table locks_demo (id int primary key, n int not null)`.execute(db);
  await sql`insert into locks_demo values (1, 0), (2, 0)`.execute(db);
});
after(async () => {
  await db?.destroy();
  await database?.drop();
});

/** Locks row `first`, waits until the other side has its row, then updates `second`: two of these deadlock. */
async function crossing(first: number, second: number, ready: { count: number }, runs: { count: number }) {
  return transactionRetrying(db, async (tx) => {
    runs.count++;
    await sql`update locks_demo set n = n + 1 where id = ${first}`.execute(tx);
    ready.count++;
    while (ready.count < 2) await new Promise((r) => setTimeout(r, 5));
    await sql`update locks_demo set n = n + 1 where id = ${second}`.execute(tx);
  });
}

test('two transactions that deadlock both commit: PostgreSQL fails one, it runs again', async () => {
  const ready = { count: 0 };
  const runs = { count: 0 };
  const results = await Promise.allSettled([crossing(1, 2, ready, runs), crossing(2, 1, ready, runs)]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'fulfilled'],
  );
  assert.equal(runs.count, 3, 'the one PostgreSQL failed ran a second time');
  const { rows } = await sql<{ n: number }>`select n from locks_demo order by id`.execute(db);
  assert.deepEqual(
    rows.map((r) => r.n),
    [2, 2],
    'each committed once: the failed run left nothing',
  );
});

test('an error that is not a conflict is thrown at once', async () => {
  let runs = 0;
  await assert.rejects(
    transactionRetrying(db, async (tx) => {
      runs++;
      await sql`select 1 / 0`.execute(tx);
    }),
    /division by zero/,
  );
  assert.equal(runs, 1);
});
