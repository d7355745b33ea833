// The database `npm start` would use: DATABASE_URL, or the embedded PostgreSQL of DATA_DIR (attached to when it runs,
// started and stopped again for the check when it does not).
import path from 'node:path';
import pg from 'pg';
import { openEmbeddedPostgres } from '../../db/embedded.ts';
import type { DoctorContext } from '../context.ts';
import { describeError, findings, type Finding } from '../report.ts';

async function version(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    return rows[0].v;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function checkDatabase(ctx: DoctorContext): Promise<Finding[]> {
  const { config } = ctx;
  const f = findings('Database', config.NODE_ENV);
  if (config.DATABASE_URL) {
    const u = new URL(config.DATABASE_URL);
    const where = `${u.hostname}:${u.port || 5432}${u.pathname}`;
    try {
      return [f.ok('reachable', `PostgreSQL ${await version(config.DATABASE_URL)} at ${where} (DATABASE_URL)`)];
    } catch (err) {
      return [
        f.failure(
          'reachable',
          `${where}: ${describeError(err)}`,
          'check DATABASE_URL (host, port, user, password, database) and that PostgreSQL accepts this host',
        ),
      ];
    }
  }
  const dir = path.join(config.dataDir, 'pg');
  try {
    const db = await openEmbeddedPostgres({ dir, listen: config.EMBEDDED_PG_LISTEN, runtimeDir: config.EMBEDDED_PG_RUNTIME_DIR });
    try {
      const v = await version(db.adminUrl);
      return [
        f.ok('reachable', `embedded PostgreSQL ${v} in ${db.cluster}, ${db.owner ? 'started for this check and stopped again' : `run by pid ${db.ownerPid}`}`),
      ];
    } finally {
      await db.stop();
    }
  } catch (err) {
    return [f.failure('reachable', `embedded PostgreSQL in ${dir}: ${describeError(err)}`, 'see the message; or set DATABASE_URL to a PostgreSQL of your own')];
  }
}
