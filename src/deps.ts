// What the API and the workers are given: configuration, database, logger and one instance per provider capability.
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './log.ts';
import type { DomainChecker } from './providers/availability/checker.ts';
import type { PaymentProvider, PaymentProviderName } from './providers/payments/index.ts';
import type { MailTransport } from './providers/mail/index.ts';
import type { Registrar } from './providers/registrar/index.ts';
import type { Hosting } from './providers/hosting/index.ts';
import type { Circuits } from './providers/circuit.ts';
import type { RateLimiter } from './providers/limiter.ts';
import type { NameResolver } from './providers/dns/resolver.ts';
import type { Metrics } from './monitoring/metrics.ts';
import type { Edge } from './providers/site-probe.ts';

export type { Edge } from './providers/site-probe.ts';

export interface Deps {
  config: Config;
  db: Database;
  log: Logger;
  checker: DomainChecker;
  registrar: Registrar;
  payments: Record<PaymentProviderName, PaymentProvider>;
  mail: MailTransport;
  hosting: Hosting;
  webhookSecrets: { stripe: string; paypalWebhookId: string };
  /** one circuit breaker per provider, for this process */
  circuits: Circuits;
  /** provider limits shared by every process (kept in PostgreSQL) */
  limiter: RateLimiter;
  /** the resolver the pipeline waits for DNS through */
  resolver: NameResolver;
  edge: Edge;
  /** this process's Prometheus counters and histograms (src/monitoring); absent where nobody scrapes */
  metrics?: Metrics;
}
