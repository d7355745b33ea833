// One benchmark's world: a fresh database on the run's PostgreSQL, the sandbox world in this process, and the app's
// API and worker processes (`src/main.ts --role=api|worker`) attached to it, as `npm start` runs them in production.
import { EXAMPLE_SELLER } from '../../test/support/seller.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.ts';
import { startEmbeddedPostgres, freePort } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createDatabase, type Database } from '../../src/db/database.ts';
import { startSandboxWorld, writeEndpoints, endpointsOf, type SandboxWorld } from '../../src/sandbox/world.ts';
import { buildProviders } from '../../src/providers/wiring.ts';
import { PgRateLimiter } from '../../src/providers/limiter.ts';
import { Circuits } from '../../src/providers/circuit.ts';
import { createResolver } from '../../src/providers/dns/resolver.ts';
import type { Deps } from '../../src/deps.ts';
import { cpuSeconds, peakRss, currentRss } from './procs.ts';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

/**
 * How to look inside a run (`npm run bench -- --profile DIR`, `--statements`): CPU profiles of every app process
 * (`node --cpu-prof`: Node 20 refuses it in NODE_OPTIONS, so it goes on the spawned command line), and every
 * statement PostgreSQL ran (pg_stat_statements), to count round trips per request or per step.
 */
export const inspection: { profileDir?: string; statements: boolean } = { statements: false };

/** One PostgreSQL for the whole bench run (embedded, as `npm start` uses it), a fresh database per benchmark. */
export interface BenchPostgres {
  dataDir: string;
  version: string;
  newDatabase(name: string): Promise<string>;
  /** settings PostgreSQL reads at start only (track_commit_timestamp): set, then the server restarted on the same port */
  restartWith(settings: Record<string, string>): Promise<void>;
  /** with --statements: forget the statements counted so far (all databases) */
  resetStatements(): Promise<void>;
  /** with --statements: the statements run in `database` since the last reset, most frequent first */
  statements(database: string): Promise<{ calls: number; query: string; ms: number }[]>;
  stop(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-bench-'));
  fs.chmodSync(tmp, 0o755);
  const dataDir = path.join(tmp, 'pg');
  let embedded = await startEmbeddedPostgres({ dir: dataDir });
  let admin = new pg.Client({ connectionString: embedded.adminUrl });
  await admin.connect();
  /** settings read at server start only: written with ALTER SYSTEM, then the same cluster started again on its port */
  const restartWith = async (settings: Record<string, string>) => {
    for (const [name, value] of Object.entries(settings)) await admin.query(`alter system set ${name} = '${value}'`);
    await admin.end();
    await embedded.stop();
    embedded = await startEmbeddedPostgres({ dir: dataDir, port: embedded.port });
    admin = new pg.Client({ connectionString: embedded.adminUrl });
    await admin.connect();
  };
  if (inspection.statements) {
    await restartWith({ shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'top', 'pg_stat_statements.max': '10000' });
    await admin.query('create extension if not exists pg_stat_statements');
  }
  const version = String((await admin.query('show server_version')).rows[0].server_version);
  return {
    dataDir,
    version,
    restartWith,
    async newDatabase(name) {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
      const url = embedded.urlFor(name);
      if (inspection.statements) {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query('create extension if not exists pg_stat_statements');
        await c.end();
      }
      await migrate(url);
      return url;
    },
    async resetStatements() {
      if (inspection.statements) await admin.query('select pg_stat_statements_reset()');
    },
    async statements(database) {
      if (!inspection.statements) return [];
      const { rows } = await admin.query(
        `select s.calls::int as calls, s.query, s.total_exec_time as ms from pg_stat_statements s join pg_database d on d.oid = s.dbid
          where d.datname = $1 order by s.calls desc`,
        [database],
      );
      return rows as { calls: number; query: string; ms: number }[];
    },
    async stop() {
      await admin.end().catch(() => {});
      await embedded.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** A `src/main.ts` child process. */
export interface AppProcess {
  role: 'api' | 'worker';
  pid: number;
  child: ChildProcess;
  url?: string;
  logFile: string;
  cpuSeconds(): number;
  peakRss(): number;
  currentRss(): number;
  stop(): Promise<void>;
}

export interface Scenario {
  name: string;
  /** the database's name on the run's PostgreSQL */
  database: string;
  databaseUrl: string;
  config: Config;
  world: SandboxWorld;
  /** the app's dependencies, in this process: markPaid, intake and the providers' adapters for set-ups */
  deps: Deps;
  db: Database;
  dir: string;
  /** the env every app process gets (plus its role's) */
  env: Record<string, string>;
  processes: AppProcess[];
  spawnApi(extra?: Record<string, string>): Promise<AppProcess>;
  spawnWorker(extra?: Record<string, string>): Promise<AppProcess>;
  stop(): Promise<void>;
}

export const silentLog = pino({ level: 'silent' });

/** Every app process still running: killed when the bench exits, however it exits. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});
export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export async function startScenario(pgServer: BenchPostgres, name: string, env: Record<string, string>): Promise<Scenario> {
  const database = `bench_${name}`;
  const databaseUrl = await pgServer.newDatabase(database);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `conciergerie-bench-${name}-`));
  const baseEnv: Record<string, string> = {
    NODE_ENV: 'production',
    // production means no sandbox unless SANDBOX=on: the bench is a demonstration installation, on the sandbox world
    SANDBOX: 'on',
    ADMIN_TOKEN,
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    // production requires somewhere for alerts and reports to go: the sandbox SMTP server takes it
    OPERATOR_EMAIL: 'operators@conciergerie.example',
    // production requires the seller's identity: a made-up one
    ...EXAMPLE_SELLER,
    ...env,
  };
  const config = loadConfig({ ...baseEnv, DATA_DIR: path.join(dir, 'world'), LOG_LEVEL: 'silent' });
  let apiUrl: string | undefined;
  const world = await startSandboxWorld({ config, webhookBaseUrl: () => apiUrl, persist: false });
  const worldFile = path.join(dir, 'world.json');
  writeEndpoints(worldFile, world);
  const { db } = createDatabase(databaseUrl, 20);
  const endpoints = endpointsOf(world);
  const limiter = new PgRateLimiter(db);
  const providers = await buildProviders(config, endpoints, silentLog, { db, limiter });
  const deps: Deps = {
    config,
    db,
    log: silentLog,
    ...providers,
    circuits: new Circuits({ failureThreshold: 5, coolDownMs: 30_000 }),
    limiter,
    resolver: createResolver({ server: { host: '127.0.0.1', port: endpoints.dns.port } }),
    edge: { httpPort: endpoints.netlify.httpPort, httpsPort: endpoints.netlify.httpsPort, ca: endpoints.netlify.caCertPem },
  };
  const processes: AppProcess[] = [];
  let seq = 0;

  async function spawnApp(role: 'api' | 'worker', extra: Record<string, string>, tries = 3): Promise<AppProcess> {
    try {
      return await spawnOnce(role, extra);
    } catch (err) {
      // the free port we picked was taken by another process before ours listened on it (a shared machine): pick another
      if (tries > 1 && /EADDRINUSE/.test(String((err as Error).message))) return spawnApp(role, extra, tries - 1);
      throw err;
    }
  }

  async function spawnOnce(role: 'api' | 'worker', extra: Record<string, string>): Promise<AppProcess> {
    const id = `${role}-${++seq}`;
    const dataDir = path.join(dir, id);
    fs.mkdirSync(dataDir, { recursive: true });
    const port = role === 'api' ? await freePort() : 0;
    const logFile = path.join(dir, `${id}.log`);
    const out = fs.openSync(logFile, 'w');
    // node directly (not the tsx CLI, which would add a parent process): one pid per app process
    // one folder per process: node writes a profile per thread (tsx's module loader runs on its own)
    const profile = inspection.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(inspection.profileDir, `${name}-${id}-${Date.now()}`)}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts', `--role=${role}`], {
      cwd: root,
      env: { ...process.env, ...baseEnv, ...extra, DATA_DIR: dataDir, SANDBOX_ATTACH: worldFile, PORT: String(port) },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    track(child);
    const pid = child.pid!;
    let exited = false;
    child.once('exit', () => (exited = true));
    const app: AppProcess = {
      role,
      pid,
      child,
      logFile,
      url: role === 'api' ? `http://127.0.0.1:${port}` : undefined,
      cpuSeconds: () => cpuSeconds(pid),
      peakRss: () => peakRss(pid),
      currentRss: () => currentRss(pid),
      stop: async () => {
        if (exited) return;
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await done;
        clearTimeout(t);
      },
    };
    // ready once the banner is printed (after the system started)
    const until = Date.now() + 60_000;
    for (;;) {
      if (exited) throw new Error(`${id} exited at start:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
      if (fs.readFileSync(logFile, 'utf8').includes('Conciergerie is running')) break;
      if (Date.now() > until) throw new Error(`${id} did not start within 60 s:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (role === 'api') apiUrl = app.url;
    processes.push(app);
    return app;
  }

  return {
    name,
    database,
    databaseUrl,
    config,
    world,
    deps,
    db,
    dir,
    env: baseEnv,
    processes,
    spawnApi: (extra = {}) => spawnApp('api', extra),
    spawnWorker: (extra = {}) => spawnApp('worker', extra),
    async stop() {
      await Promise.allSettled(processes.map((p) => p.stop()));
      await db.destroy().catch(() => {});
      await world.close();
      if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
