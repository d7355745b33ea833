// This process's Prometheus series (counters and histograms): each process counts what it does and exposes its own.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ALL_RULES } from './rules.ts';

export const PREFIX = 'conciergerie_';

/**
 * Counters and histograms live in the memory of the process that did the work, as Prometheus
 * expects: every process (API, each worker) is scraped on its own and queries sum them
 * (`sum by (provider) (rate(conciergerie_provider_calls_total[5m]))`). Values that must be the
 * same whoever answers (orders by state, queue depth, orders at risk) are not here: they are
 * read from PostgreSQL at scrape time (src/monitoring/gauges.ts).
 */
export class Metrics {
  readonly registry = new Registry();

  readonly providerCalls = new Counter({
    name: `${PREFIX}provider_calls_total`,
    help: 'Calls to providers, by provider, operation and outcome (ok, retryable_error, error).',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly providerCallSeconds = new Histogram({
    name: `${PREFIX}provider_call_duration_seconds`,
    help: 'Latency of provider calls.',
    labelNames: ['provider', 'operation'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly stepSeconds = new Histogram({
    name: `${PREFIX}step_duration_seconds`,
    help: 'One run of a pipeline step, by step and outcome (done, wait, retry, failed, stale, error).',
    labelNames: ['step', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly orderSeconds = new Histogram({
    name: `${PREFIX}order_duration_seconds`,
    help: 'From payment to the final state (delivered or refunded), by tier and outcome.',
    labelNames: ['tier', 'outcome'] as const,
    // seconds in the sandbox, hours for real: express 4 h, standard 24 h
    buckets: [5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800],
    registers: [this.registry],
  });
  readonly webhooksReceived = new Counter({
    name: `${PREFIX}webhooks_received_total`,
    help: 'Payment webhook requests received (rejected and duplicate ones included).',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  readonly webhooksRejected = new Counter({
    name: `${PREFIX}webhooks_rejected_total`,
    help: 'Payment webhooks refused before storage (bad or missing signature, stale, unreadable), by reason.',
    labelNames: ['provider', 'reason'] as const,
    registers: [this.registry],
  });
  readonly webhooksDuplicate = new Counter({
    name: `${PREFIX}webhooks_duplicate_total`,
    help: 'Verified payment webhooks whose event id was already stored (acknowledged, not processed again).',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  readonly emails = new Counter({
    name: `${PREFIX}email_sends_total`,
    help: 'Email send attempts by kind and outcome (sent, failed).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly siteChecks = new Counter({
    name: `${PREFIX}site_checks_total`,
    help: 'HTTPS checks of delivered sites, by outcome (up, down).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly siteCheckSeconds = new Histogram({
    name: `${PREFIX}site_check_duration_seconds`,
    help: 'Latency of one HTTPS check of a delivered site (DNS included).',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly alertNotices = new Counter({
    name: `${PREFIX}alert_notices_total`,
    help: 'Alert notices sent (opened, escalated, resolved, digest) and held back by the rate limit (suppressed), by rule.',
    labelNames: ['rule', 'kind'] as const,
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    // the process's CPU, memory, event loop lag and GC, under the same prefix
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    // Known label sets start at 0: a series that appears only with its first event makes rate() and
    // increase() miss that event, and an alert on it blind until then.
    for (const provider of ['stripe', 'paypal']) {
      this.webhooksReceived.inc({ provider }, 0);
      this.webhooksDuplicate.inc({ provider }, 0);
      for (const reason of ['webhook_signature_missing', 'webhook_signature_invalid']) this.webhooksRejected.inc({ provider, reason }, 0);
    }
    for (const outcome of ['up', 'down']) this.siteChecks.inc({ outcome }, 0);
    for (const { name } of ALL_RULES)
      for (const kind of ['opened', 'escalated', 'resolved', 'suppressed', 'digest']) this.alertNotices.inc({ rule: name, kind }, 0);
    for (const outcome of ['ok', 'retryable_error', 'error']) this.providerCalls.inc({ provider: 'smtp', operation: 'send', outcome }, 0);
  }

  providerCall(provider: string, operation: string, outcome: string, seconds: number): void {
    this.providerCalls.inc({ provider, operation, outcome });
    this.providerCallSeconds.observe({ provider, operation }, seconds);
  }

  step(step: string, outcome: string, seconds: number): void {
    this.stepSeconds.observe({ step, outcome }, seconds);
  }

  orderFinished(tier: string, outcome: 'delivered' | 'refunded', seconds: number): void {
    this.orderSeconds.observe({ tier, outcome }, Math.max(0, seconds));
  }

  emailSent(kind: string, outcome: 'sent' | 'failed'): void {
    this.emails.inc({ kind, outcome });
  }
}

export function createMetrics(opts?: { defaultMetrics?: boolean }): Metrics {
  return new Metrics(opts);
}
