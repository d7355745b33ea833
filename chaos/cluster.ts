// The system under chaos: a PostgreSQL we can stop and start again, the API (and the sandbox world) in this process, and worker processes we can SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startEmbeddedPostgres, freePort, type EmbeddedDatabase } from '../src/db/embedded.ts';
import { ensureDatabase } from '../src/db/migrate.ts';
import { redactPaths } from '../src/log.ts';
import { startSystem, type System } from '../src/system.ts';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** An embedded PostgreSQL on a fixed port, so every process reconnects to the same address after a restart. */
export class RestartablePostgres {
  private db?: EmbeddedDatabase;
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(dir: string): Promise<RestartablePostgres> {
    const pg = new RestartablePostgres(dir, await freePort());
    await pg.start();
    return pg;
  }

  async start(): Promise<void> {
    this.db = await startEmbeddedPostgres({ dir: this.dir, port: this.port });
  }

  /** A fast shutdown (SIGINT): every connection is cut, every open transaction rolled back. */
  async stop(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    await db?.stop();
  }

  get adminUrl(): string {
    if (!this.db) throw new Error('PostgreSQL is not running');
    return this.db.adminUrl;
  }

  urlFor(name: string): string {
    if (!this.db) throw new Error('PostgreSQL is not running');
    return this.db.urlFor(name);
  }
}

/** The deadlines of a chaos run, in seconds: short enough that some orders cross 75 % of theirs, or miss it, under chaos. */
export interface Deadlines {
  expressSeconds: number;
  standardSeconds: number;
}

/** Settings shared by the API and the workers: short retries and waits, so that faults cost seconds, not minutes. */
export function chaosSettings(adminToken: string, deadlines: Deadlines, alertWebhookUrl: string): Record<string, string> {
  return {
    ADMIN_TOKEN: adminToken,
    EXPRESS_HOURS: String(deadlines.expressSeconds / 3600),
    STANDARD_HOURS: String(deadlines.standardSeconds / 3600),
    // the deadline_at_risk alert (and the others) evaluated every second, each opening announced by email and webhook:
    // the run checks that every order past 75 % of its deadline was alerted, and the operators told
    ALERT_EVALUATE_SECONDS: '1',
    ALERT_NOTIFY_MAX_PER_HOUR: '100000',
    ALERT_WEBHOOK_URL: alertWebhookUrl,
    RETRY_BASE_MS: '200',
    RETRY_MAX_MS: '2000',
    DNS_POLL_MS: '300',
    STEP_MAX_ATTEMPTS: '12',
    // a killed worker's jobs are freed within seconds, so each order resumes well within a minute
    WORKER_STALE_SECONDS: '4',
    HEARTBEAT_SECONDS: '1',
    SWEEP_SECONDS: '1',
    WORKER_CONCURRENCY: '10',
    AVAILABILITY_BUDGET_MS: '4000',
    AVAILABILITY_TIMEOUT_MS: '2500',
    // a share of the customers pay by SEPA Debit; deploys and certificates are looked at again after 1 s, then less
    // often (sixty orders polling faster would spend the 500 requests a minute Netlify allows the token)
    STRIPE_PAYMENT_METHODS: 'card,sepa_debit',
    HOST_POLL_MS: '1000',
  };
}

/** How slow the host and the bank are in the sandbox world: `min-max` seconds, drawn per deploy, certificate, payment. */
export interface HostDelays {
  certificateSeconds: string;
  deploySeconds: string;
  delayedPaymentSeconds: string;
}

export interface Faults {
  /** share of every sandbox call that fails, split between 5xx, timeouts, 429 and dropped connections */
  rate: number;
  /** share of the calls that buy, charge, refund or create whose answer is lost after the work was done */
  lostAnswers: number;
  duplicateWebhooks: number;
  reorderWebhooks: number;
}

/** The API and the sandbox world, in this process (the checks read the sandbox's own records). */
export async function startApi(opts: {
  databaseUrl: string;
  dataDir: string;
  adminToken: string;
  faults: Faults;
  deadlines: Deadlines;
  alertWebhookUrl: string;
  logFile: string;
  delays: HostDelays;
}): Promise<System> {
  const share = opts.faults.rate / 4;
  const config = loadConfig({
    ...chaosSettings(opts.adminToken, opts.deadlines, opts.alertWebhookUrl),
    PORT: '0',
    DATABASE_URL: opts.databaseUrl,
    DATA_DIR: opts.dataDir,
    LOG_LEVEL: 'info',
    RUN_WORKER: 'false',
    SANDBOX_ERROR_RATE: String(share),
    SANDBOX_TIMEOUT_RATE: String(share),
    SANDBOX_RATE_LIMIT_RATE: String(share),
    SANDBOX_DROP_RATE: String(share),
    SANDBOX_WEBHOOK_DUPLICATE_RATE: String(opts.faults.duplicateWebhooks),
    SANDBOX_WEBHOOK_REORDER_RATE: String(opts.faults.reorderWebhooks),
    SANDBOX_CERT_DELAY_SECONDS: opts.delays.certificateSeconds,
    SANDBOX_DEPLOY_SECONDS: opts.delays.deploySeconds,
    SANDBOX_DELAYED_PAYMENT_SECONDS: opts.delays.delayedPaymentSeconds,
  });
  const log = pino(
    { level: 'info', redact: { paths: redactPaths, censor: '[redacted]' }, base: { service: 'conciergerie', role: 'api' } },
    pino.destination({ dest: opts.logFile, sync: false }),
  );
  const system = await startSystem({ config, role: 'api', log, persistSandbox: false });
  // a "timeout" holds the call for 1.5 s and then cuts it, instead of the default 30 s: timeouts cost seconds
  for (const server of system.sandbox!.servers()) {
    server.faults.timeoutHoldMs = 1_500;
    server.faults.set({ lostAnswerRate: opts.faults.lostAnswers });
  }
  return system;
}

/** One worker process (`src/main.ts --role=worker`) attached to the API's sandbox world; SIGKILLed and replaced at will. */
export class WorkerProcess {
  child?: ChildProcess;
  starts = 0;
  kills = 0;
  /** exits we did not cause (a start while PostgreSQL was down, a crash): a supervisor starts it again */
  unexpectedExits: string[] = [];
  private logOffset = 0;
  private killing = false;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  start(): void {
    this.logOffset = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
    const out = fs.openSync(this.logFile, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role=worker'], {
      cwd: root,
      env: { ...process.env, ...this.env, NODE_ENV: 'development' },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    child.once('exit', (code, signal) => {
      if (!this.killing && this.child === child) this.unexpectedExits.push(`${this.name} exited (${signal ?? code}): ${this.lastLines()}`);
    });
    this.child = child;
    this.starts++;
  }

  /** resolves once this start logged "started" (or throws when the process exits first) */
  async ready(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.sinceStart().includes('"event":"started"')) return;
      if (!this.alive) throw new Error(`${this.name} exited before it started: ${this.lastLines()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} did not start within ${timeoutMs} ms`);
  }

  private sinceStart(): string {
    try {
      const fd = fs.openSync(this.logFile, 'r');
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - this.logOffset));
      fs.readSync(fd, buf, 0, buf.length, this.logOffset);
      fs.closeSync(fd);
      return buf.toString('utf8');
    } catch {
      return '';
    }
  }

  private lastLines(): string {
    return this.sinceStart().trim().split('\n').slice(-2).join(' | ').slice(0, 300);
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    this.killing = true;
    child.kill(signal);
    await exited;
    this.killing = false;
    if (signal === 'SIGKILL') this.kills++;
  }
}

export async function createDatabase(pg: RestartablePostgres, name: string): Promise<string> {
  await ensureDatabase(pg.adminUrl, name);
  return pg.urlFor(name);
}

export function workerEnv(opts: {
  databaseUrl: string;
  dataDir: string;
  worldFile: string;
  adminToken: string;
  deadlines: Deadlines;
  alertWebhookUrl: string;
  publicUrl: string;
}): Record<string, string> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  return {
    ...chaosSettings(opts.adminToken, opts.deadlines, opts.alertWebhookUrl),
    // the links in the emails workers queue, and the payment links they retry (the same idempotent request as the API's)
    PUBLIC_URL: opts.publicUrl,
    DATABASE_URL: opts.databaseUrl,
    DATA_DIR: opts.dataDir,
    SANDBOX_ATTACH: opts.worldFile,
    LOG_LEVEL: 'info',
  };
}

/**
 * Which of `pids` holds the TCP connection whose client end is 127.0.0.1:`clientPort` (Linux: the socket's inode in
 * /proc/net/tcp, then among each process's file descriptors). How the run finds the worker that is making a call.
 */
export function processOfConnection(clientPort: number, pids: number[]): number | undefined {
  const hex = clientPort.toString(16).toUpperCase().padStart(4, '0');
  let inode: string | undefined;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[9] && cols[9] !== '0') inode = cols[9];
    }
    if (inode) break;
  }
  if (!inode) return undefined;
  const wanted = `socket:[${inode}]`;
  for (const pid of pids) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === wanted) return pid;
      }
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
