// The composition root: database, sandbox world, providers, HTTP API and workers, started and stopped together.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { openEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { ensureDatabase, migrate } from './db/migrate.ts';
import { createDatabase, type Database } from './db/database.ts';
import { ProviderCallBatch } from './db/provider-calls.ts';
import { readEndpoints, startSandboxWorld, worldOwner, writeEndpoints, endpointsOf, type SandboxEndpoints, type SandboxWorld } from './sandbox/world.ts';
import type { Deps } from './deps.ts';
import { buildProviders } from './providers/wiring.ts';
import { BudgetedRegistrar } from './providers/registrar/budget.ts';
import { Circuits } from './providers/circuit.ts';
import { PgRateLimiter } from './providers/limiter.ts';
import { createResolver } from './providers/dns/resolver.ts';
import { buildApp } from './http/app.ts';
import { OrderEvents } from './http/live.ts';
import { startWorker, type Worker } from './workflow/runner.ts';
import { createMetrics } from './monitoring/metrics.ts';
import { attachMetrics } from './monitoring/observe.ts';
import { startMetricsServer } from './monitoring/server.ts';
import { startEvaluationWatchdog } from './monitoring/watchdog.ts';

export type Role = 'all' | 'api' | 'worker';

export interface System {
  config: Config;
  role: Role;
  deps: Deps;
  db: Database;
  pool: Pool;
  databaseUrl: string;
  embedded?: EmbeddedDatabase;
  sandbox?: SandboxWorld;
  /** the sandbox world's addresses, whether this process runs it or attached to it */
  sandboxEndpoints?: SandboxEndpoints;
  app?: FastifyInstance;
  /** the app's own URL (http://host:port), set when the API runs */
  url?: string;
  adminToken: string;
  adminTokenFile?: string;
  worker?: Worker;
  /** a worker-only process's own /metrics (METRICS_PORT) */
  metricsUrl?: string;
  /** writes the RDAP/whois lookups still waiting in their batch (they are otherwise written within a second) */
  flushLookups(): Promise<void>;
  stop(): Promise<void>;
}

/** The admin token: from ADMIN_TOKEN, else generated once for this DATA_DIR and kept in a 0600 file (never printed). */
function adminToken(config: Config): { token: string; file?: string } {
  if (config.ADMIN_TOKEN) return { token: config.ADMIN_TOKEN };
  const file = path.join(config.dataDir, 'admin-token');
  if (fs.existsSync(file)) return { token: fs.readFileSync(file, 'utf8').trim(), file };
  const token = crypto.randomBytes(24).toString('base64url');
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}

/**
 * An attached process keeps running while the process that runs the cluster is away: PostgreSQL comes back on the
 * same port when that process starts again, and every connection comes back with it, as after any PostgreSQL restart.
 * Said once each way in the log, so an operator sees why jobs pause.
 */
function watchOwner(embedded: EmbeddedDatabase, log: Logger): () => Promise<void> {
  let up = true;
  const timer = setInterval(() => {
    const now = embedded.running();
    if (now === up) return;
    up = now;
    if (now) log.info({ event: 'database_back', port: embedded.port }, 'the embedded PostgreSQL is running again; reconnecting');
    else
      log.warn(
        { event: 'database_owner_gone', ownerPid: embedded.ownerPid, port: embedded.port },
        `the embedded PostgreSQL stopped with the process that ran it (pid ${embedded.ownerPid}); waiting for it to start again (npm start with the same DATA_DIR)`,
      );
  }, 2_000);
  timer.unref();
  return async () => clearInterval(timer);
}

export async function startSystem(opts: {
  config: Config;
  role?: Role;
  log?: Logger;
  /** keep sandbox state under DATA_DIR (default true); tests keep it in memory */
  persistSandbox?: boolean;
  onProgress?: (step: string) => void;
}): Promise<System> {
  const config = { ...opts.config };
  const role = opts.role ?? 'all';
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const progress = opts.onProgress ?? (() => {});
  fs.mkdirSync(config.dataDir, { recursive: true });
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((err) => log.warn({ err: String(err) }, 'stop step failed'));
    cleanups.length = 0;
  };

  try {
    let databaseUrl = config.DATABASE_URL;
    let embedded: EmbeddedDatabase | undefined;
    if (!databaseUrl) {
      // a second process on the same DATA_DIR (say --role=worker beside --role=api) attaches to the running cluster
      progress('starting embedded PostgreSQL (or attaching to the one this DATA_DIR runs)');
      embedded = await openEmbeddedPostgres({
        dir: path.join(config.dataDir, 'pg'),
        listen: config.EMBEDDED_PG_LISTEN,
        runtimeDir: config.EMBEDDED_PG_RUNTIME_DIR,
      });
      cleanups.push(() => embedded!.stop());
      if (!embedded.owner) cleanups.push(watchOwner(embedded, log));
      await ensureDatabase(embedded.adminUrl, 'conciergerie');
      databaseUrl = embedded.urlFor('conciergerie');
      log.info(
        {
          event: 'database',
          embedded: true,
          owner: embedded.owner,
          ownerPid: embedded.ownerPid,
          port: embedded.port,
          listen: embedded.listen,
          credentials: embedded.credentialsFile,
        },
        embedded.owner ? 'embedded PostgreSQL started' : 'attached to the embedded PostgreSQL another process runs',
      );
    }
    progress('running migrations');
    await migrate(databaseUrl);
    const { db, pool } = createDatabase(databaseUrl, role === 'api' ? 20 : 30);
    cleanups.push(() => db.destroy());

    let appUrl: string | undefined;
    let sandbox: SandboxWorld | undefined;
    let endpoints: SandboxEndpoints | undefined;
    const worldFile = path.join(config.dataDir, 'sandbox', 'world.json');
    // a worker attaches to the world of a process that runs (a world.json left by a killed one leads nowhere)
    const attachTo = config.SANDBOX_ATTACH ?? (role === 'worker' && worldOwner(worldFile) ? worldFile : undefined);
    if (config.sandbox.any && config.SANDBOX !== 'off') {
      if (attachTo) {
        // a second process (say, an extra worker) uses the world the first one runs
        progress(`attaching to the sandbox world of ${attachTo}`);
        endpoints = readEndpoints(attachTo);
      } else {
        // two worlds on one DATA_DIR would share its registrations and overwrite each other's world.json
        const other = worldOwner(worldFile);
        if (other && other.pid !== process.pid && other.role !== 'worker' && role !== 'worker') {
          throw new Error(
            `another Conciergerie process (pid ${other.pid}) runs the sandbox world of ${config.dataDir}; start this one with --role=worker, or give it another DATA_DIR`,
          );
        }
        progress('starting the sandbox world');
        sandbox = await startSandboxWorld({ config, webhookBaseUrl: () => appUrl, persist: opts.persistSandbox ?? true });
        cleanups.push(() => sandbox!.close());
        endpoints = endpointsOf(sandbox);
        writeEndpoints(worldFile, sandbox, role);
        cleanups.push(async () => {
          if (worldOwner(worldFile)?.pid === process.pid) fs.rmSync(worldFile, { force: true });
        });
      }
    }

    // a worker on the same DATA_DIR writes the API's address into the emails it queues, whatever PORT the API took
    const publicUrlFile = path.join(config.dataDir, 'public-url');
    if (role === 'worker' && !config.PUBLIC_URL && fs.existsSync(publicUrlFile)) config.publicUrl = fs.readFileSync(publicUrlFile, 'utf8').trim();

    const limiter = new PgRateLimiter(db);
    const providers = await buildProviders(config, endpoints, log, { db, limiter });
    cleanups.push(async () => providers.mail.close?.()); // kept SMTP connections, before the sandbox's server stops
    cleanups.push(async () => providers.coalescer?.stop());
    const metrics = createMetrics(); // this process's Prometheus series; provider calls through db count in it
    // every registrar call counts where it is made, whoever makes it (the budgeted registrar), not again when recorded
    attachMetrics(db, metrics, { countedElsewhere: [providers.registrar.name] });
    if (providers.registrar instanceof BudgetedRegistrar) {
      providers.registrar.observe((c) => metrics.providerCall(c.provider, c.operation, c.outcome, c.seconds));
    }
    // RDAP and whois lookups count as provider calls too, written in batches (src/db/provider-calls.ts); the last ones before db closes
    const lookups = new ProviderCallBatch(db, (err) =>
      log.warn({ event: 'provider_calls_not_recorded', err: String(err) }, 'could not record provider lookups'),
    );
    cleanups.push(() => lookups.flush());
    providers.checker.observeLookups((l) => {
      metrics.providerCall(l.provider, l.operation, l.outcome, l.seconds);
      lookups.add({
        order_id: null,
        provider: l.provider,
        operation: l.operation,
        outcome: l.outcome,
        error_code: l.errorCode,
        duration_ms: Math.round(l.seconds * 1000),
      });
    });
    const deps: Deps = {
      config,
      db,
      log,
      metrics,
      ...providers,
      circuits: new Circuits({ failureThreshold: 5, coolDownMs: 30_000 }),
      limiter,
      resolver: createResolver(endpoints && config.sandbox.hosting ? { server: { host: '127.0.0.1', port: endpoints.dns.port } } : {}),
      edge:
        endpoints && config.sandbox.hosting
          ? { httpPort: endpoints.netlify.httpPort, httpsPort: endpoints.netlify.httpsPort, ca: endpoints.netlify.caCertPem }
          : { httpPort: 80, httpsPort: 443 },
    };
    const admin = adminToken(config);

    const system: System = {
      config,
      role,
      deps,
      db,
      pool,
      databaseUrl,
      embedded,
      sandbox,
      sandboxEndpoints: endpoints,
      adminToken: admin.token,
      adminTokenFile: admin.file,
      flushLookups: () => lookups.flush(),
      stop: cleanup,
    };

    if (role === 'all' || role === 'api') {
      progress('starting the HTTP API');
      const events = new OrderEvents(databaseUrl, log);
      await events.start();
      cleanups.push(() => events.stop());
      const app = await buildApp({
        deps,
        events,
        sandbox,
        adminToken: admin.token,
      });
      await app.listen({ port: config.PORT, host: config.HOST });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
      appUrl = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
      if (!config.PUBLIC_URL) config.publicUrl = `http://localhost:${port}`;
      fs.writeFileSync(publicUrlFile, `${config.publicUrl}\n`);
      // world.json again, now with where its webhooks go (npm run doctor compares the registrations with it)
      if (sandbox) writeEndpoints(worldFile, sandbox, role);
      system.app = app;
      system.url = appUrl;
      cleanups.push(() => app.close());
      // the dead-man's switch: the API tells the operators when no worker evaluates the alerts any more
      const watchdog = startEvaluationWatchdog(deps);
      cleanups.push(() => watchdog.stop());
    }
    if ((role === 'all' || role === 'worker') && config.RUN_WORKER) {
      progress('starting the workers');
      const worker = await startWorker(deps, pool, { concurrency: config.WORKER_CONCURRENCY });
      system.worker = worker;
      cleanups.push(() => worker.stop());
      if (role === 'worker' && config.METRICS_PORT !== undefined) {
        // a worker-only process has no HTTP API; it serves its own counters here
        const server = await startMetricsServer(deps, { port: config.METRICS_PORT, host: config.HOST, adminToken: admin.token });
        system.metricsUrl = server.url;
        cleanups.push(() => server.close());
      }
    }
    log.info({ event: 'started', role, url: appUrl, sandbox: !!sandbox }, 'conciergerie started');
    return system;
  } catch (err) {
    await cleanup();
    throw err;
  }
}
