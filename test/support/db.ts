// A fresh database per test file, cloned from the migrated template that test/run.ts made.
import crypto from 'node:crypto';
import pg from 'pg';

export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.CONCIERGERIE_TEST_ADMIN_URL;
  const template = process.env.CONCIERGERIE_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('run the tests with `npm test` (it starts PostgreSQL and makes the template)');
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
