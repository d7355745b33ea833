// What the API and the workers are given: configuration, database, logger and one instance per provider capability.
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './log.ts';
import type { Circuits } from './providers/circuit.ts';
import type { RateLimiter } from './providers/limiter.ts';
import type { NameResolver } from './providers/dns/resolver.ts';
import type { Providers } from './providers/wiring.ts';
import type { Metrics } from './monitoring/metrics.ts';
import type { Edge } from './providers/site-probe.ts';

export type { Edge } from './providers/site-probe.ts';

/** The providers (checker, registrar, payments, mail, hosting, webhook secrets) and what runs beside them. */
export interface Deps extends Providers {
  config: Config;
  db: Database;
  log: Logger;
  /** one circuit breaker per provider, for this process */
  circuits: Circuits;
  /** provider limits shared by every process (kept in PostgreSQL) */
  limiter: RateLimiter;
  /** the resolver the pipeline waits for DNS through; the site probe looks names up through it too */
  resolver: NameResolver;
  /** where the site probe reaches customers' sites */
  edge: Edge;
  /** this process's Prometheus counters and histograms (src/monitoring); absent where nobody scrapes */
  metrics?: Metrics;
}
