// Settings of watching the business: metrics, alert rules and where their notices go, site checks, the daily report.
import { z } from 'zod';
import { about, group, optionalNumber, optionalString, timeZone, token24 } from './parse.ts';

export const alerts = group(
  'Metrics and alerts',
  'Prometheus metrics at `/metrics`; alert rules evaluated by one worker at a time, each notice sent by email to `OPERATOR_EMAIL` and, when set, as a signed JSON webhook.',
  {
    METRICS_TOKEN: token24.meta(
      about('a bearer token (24+ characters) that opens `GET /metrics` and nothing else, for Prometheus; `ADMIN_TOKEN` also works', { secret: true }),
    ),
    METRICS_PORT: optionalNumber(z.coerce.number().int().min(0).max(65535).optional()).describe(
      'a worker-only process (`--role=worker`) serves its own `/metrics` on this port (same tokens); unset: none',
    ),
    ALERT_EVALUATE_SECONDS: z.coerce.number().int().min(1).default(30).describe('how often the alert rules are evaluated'),
    ALERT_EVALUATION_STALE_SECONDS: optionalNumber(z.coerce.number().int().min(1).optional()).meta(
      about('the API processes alert (`workers_silent`) when no alert evaluation has finished for this long; longer than `ALERT_EVALUATE_SECONDS`', {
        shownDefault: '`max(300, 3 × ALERT_EVALUATE_SECONDS)`',
      }),
    ),
    ALERT_WEBHOOK_URL: optionalString.pipe(z.url().optional()).describe('a JSON `POST` per alert notice (opened, resolved, digest); unset: email only'),
    ALERT_WEBHOOK_SECRET: optionalString.meta(about('signs that body: `x-conciergerie-signature: t=<unix>,v1=<HMAC-SHA256 of "t.body">`', { secret: true })),
    ALERT_WEBHOOK_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .default(5000)
      .describe('one webhook delivery; non-2xx answers and timeouts are retried (8 attempts, backoff)'),
    ALERT_NOTIFY_MAX_PER_HOUR: z.coerce
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('notices per rule per hour; past it, one digest an hour counts what was held back'),
    ALERT_RESOLVE_AFTER_SECONDS: z.coerce
      .number()
      .min(0)
      .default(120)
      .describe('an open alert resolves only once its condition has been clear this long (no flapping open, resolved, open)'),
    ALERT_REOPEN_COOLDOWN_SECONDS: z.coerce
      .number()
      .min(0)
      .default(900)
      .describe('an alert that reopens within this long of resolving is told only if it is still open when the cooldown ends'),
    ALERT_DEADLINE_RISK_SHARE: z.coerce
      .number()
      .gt(0)
      .max(1)
      .default(0.75)
      .describe('an order in progress past this share of its time from payment to deadline is at risk (the alert, the overview and the orders list’s filter)'),
    ALERT_STUCK_MINUTES: z.coerce
      .number()
      .gt(0)
      .default(15)
      .describe('an order in progress with no event for this long and no job that can still move it is stuck (fractions accepted)'),
    ALERT_PROVIDER_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300).describe('the window over which a provider’s failed share of calls is measured'),
    ALERT_PROVIDER_ERROR_RATE: z.coerce
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe(
        'a provider’s failed share of calls in the window that opens `provider_errors` (so does any refusal of our credentials, or any call its circuit breaker refused)',
      ),
    ALERT_PROVIDER_MIN_CALLS: z.coerce.number().int().min(1).default(10).describe('the fewest calls in the window for that share to count'),
    ALERT_WEBHOOK_REJECTED_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300).describe('the window over which refused payment webhooks are counted'),
    ALERT_WEBHOOK_REJECTED_THRESHOLD: z.coerce
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('refused payment webhooks per provider within the window that open an alert'),
    ALERT_RETRIES_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(3600)
      .describe('a step, or a queue job, that exhausted its retries keeps `retries_exhausted` open this long'),
    ALERT_ORDERS_FAILING_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600).describe('the window of finished orders `orders_failing` looks at'),
    ALERT_ORDERS_FAILING_RATE: z.coerce
      .number()
      .gt(0)
      .max(1)
      .default(0.25)
      .describe('the failed (refunded) share of the orders finished in the window that opens it'),
    ALERT_ORDERS_FAILING_MIN: z.coerce.number().int().min(1).default(3).describe('the fewest failures in the window for that share to count'),
    ALERT_OUTBOX_MINUTES: z.coerce.number().gt(0).default(15).describe('an email still unsent this long after it was queued opens `outbox_backlog`'),
    ALERT_SATISFACTION_TARGET: z.coerce
      .number()
      .gt(0)
      .max(1)
      .default(0.98)
      .describe(
        'customer satisfaction (answers at 4 or 5 of 5) under this share over the window opens `satisfaction_low`, naming the outcomes that pull it down',
      ),
    ALERT_SATISFACTION_MIN_ANSWERS: z.coerce.number().int().min(1).default(20).describe('the fewest answers in the window for that share to count'),
    ALERT_SATISFACTION_WINDOW_DAYS: z.coerce.number().positive().max(400).default(30).describe('the window of answers `satisfaction_low` looks at'),
    ALERT_SITES_DOWN_GROUP_THRESHOLD: z.coerce
      .number()
      .int()
      .min(2)
      .default(10)
      .describe('from this many sites down at once, one grouped alert instead of one per site'),
  },
);

export const monitoring = group(
  'Site monitoring and the daily report',
  'Every delivered site is checked over HTTPS, its certificate and its domain’s expiry watched; a site down long enough tells its customer. Each morning a report of the day before goes to `OPERATOR_EMAIL`.',
  {
    MONITOR_INTERVAL_SECONDS: z.coerce
      .number()
      .int()
      .min(10)
      .default(300)
      .describe('HTTPS check of each delivered site (a monitor’s own `interval_s` overrides it)'),
    MONITOR_RETRY_SECONDS: z.coerce.number().int().min(1).default(60).describe('a failing site is checked again this soon, to confirm or clear it'),
    MONITOR_FAILURES_BEFORE_DOWN: z.coerce.number().int().min(1).default(2).describe('failed checks in a row that open an incident'),
    MONITOR_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000).describe('one check (connect, TLS, answer)'),
    MONITOR_TICK_SECONDS: z.coerce.number().int().min(1).default(15).describe('how often the scheduler looks for due checks and hands them out as batch jobs'),
    MONITOR_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200).describe('sites per batch job'),
    MONITOR_MAX_BATCHES: z.coerce.number().int().min(1).max(1000).default(4).describe('batch jobs in flight at once, across all workers'),
    MONITOR_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20).describe('checks in flight at once within one batch'),
    CERT_EXPIRY_WARN_DAYS: z.coerce.number().min(0).default(14).describe('alert when a watched site’s certificate expires within this many days'),
    DOMAIN_EXPIRY_WARN_DAYS: z.coerce.number().min(0).default(30).describe('alert when a watched domain’s registration expires within this many days'),
    DOMAIN_CHECK_HOURS: z.coerce
      .number()
      .min(0.001)
      .default(168)
      .describe(
        'how often the registrar’s domain list is walked for every domain’s expiry (weekly: the warning comes `DOMAIN_EXPIRY_WARN_DAYS` ahead); a walk interrupted (budget spent, registrar down) resumes on the next tick',
      ),
    DOMAIN_CHECKS_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(1)
      .default(10)
      .describe(
        'pages of the registrar’s domain list (100 domains each, `domains.getList`) read a minute at most for expiry dates; they spend the shared budget behind orders and customers’ checks',
      ),
    SITE_DOWN_CUSTOMER_MINUTES: z.coerce
      .number()
      .min(0)
      .default(30)
      .describe('a site down this long gets its customer an email, and another when it is back (fractions accepted)'),
    REPORT_TIME: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)')
      .default('07:00')
      .describe('when the daily report (of the day before) is made and emailed to `OPERATOR_EMAIL`; a change takes effect at the next report'),
    REPORT_TIME_ZONE: timeZone.default('Europe/Paris').describe('the time zone of `REPORT_TIME` and of the report’s day'),
  },
);
