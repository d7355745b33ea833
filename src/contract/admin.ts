// What the admin API takes and answers: the console's session, its six paged lists, an order's whole story, the figures and the daily report.
import { z } from 'zod';
import { ORDER_STATES } from '../domain/order-state.ts';
import { isDay, parseWindow } from '../monitoring/clock.ts';
import { instant, locale, oneOf, page, pageQuery } from './common.ts';
import { PAYMENT_PROVIDERS, PRICE_CODES, TIERS, orderStatus } from './orders.ts';
import { satisfactionDetail, satisfactionFigures } from './satisfaction.ts';
import { storedHolder } from './holder.ts';

export const ALERT_STATES = ['open', 'resolved'] as const;
export const ALERT_SEVERITIES = ['warning', 'critical'] as const;
export const OUTBOX_STATES = ['pending', 'sending', 'sent', 'failed'] as const;
export const MONITOR_STATUSES = ['up', 'failing', 'down', 'unchecked', 'stopped'] as const;
/** who acted: a console session, the admin token, a customer (their data's erasure), the retention job */
export const ADMIN_ACTORS = ['console', 'api', 'customer', 'retention'] as const;
export const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;
export type MonitorStatus = (typeof MONITOR_STATUSES)[number];
export type AdminActor = (typeof ADMIN_ACTORS)[number];

const json = z.record(z.string(), z.unknown());

// ---------- the session ----------

export const login = z.object({ password: z.string().min(1).max(200) });
export const session = z.object({ ok: z.boolean(), csrfToken: z.string().describe('send it back as x-csrf-token on every request that changes something') });

// ---------- the lists ----------

const search = z.string().trim().max(200).optional();
const since = z.iso.datetime({ offset: true }).optional();

/** Each list's query string: its filters, its search, and the paging (limit 1..100, default 50; cursor). */
export const listQueries = {
  orders: z.object({
    state: z.enum(ORDER_STATES).optional(),
    tier: z.enum(TIERS).optional(),
    provider: z.enum(PAYMENT_PROVIDERS).optional(),
    atRisk: z.enum(['true', 'false']).optional(),
    createdFrom: since.describe('created at or after this instant'),
    createdTo: since.describe('created before this instant'),
    q: search,
    ...pageQuery,
  }),
  alerts: z.object({
    state: z.enum(ALERT_STATES).optional(),
    rule: z.string().max(60).optional(),
    severity: z.enum(ALERT_SEVERITIES).optional(),
    q: search,
    ...pageQuery,
  }),
  monitors: z.object({ status: z.enum(MONITOR_STATUSES).optional(), q: search, ...pageQuery }),
  outbox: z.object({ state: z.enum(OUTBOX_STATES).optional(), q: search, ...pageQuery }),
  failedJobs: z.object({ task: z.string().max(100).optional(), q: search, ...pageQuery }),
  audit: z.object({ action: z.string().max(60).optional(), actor: z.enum(ADMIN_ACTORS).optional(), q: search, ...pageQuery }),
};

export const adminOrderRow = z.object({
  id: z.string(),
  domain: z.string(),
  domain_unicode: z.string(),
  business_name: z.string(),
  email: z.string(),
  tier: z.enum(TIERS),
  state: z.enum(ORDER_STATES),
  payment_provider: z.enum(PAYMENT_PROVIDERS),
  total_cents: z.number().int(),
  currency: z.string(),
  created_at: instant,
  paid_at: instant.nullable(),
  deadline_at: instant.nullable(),
  delivered_at: instant.nullable(),
  current_step: z.string().nullable(),
  at_risk: z.boolean().describe('working on it, and past ALERT_DEADLINE_RISK_SHARE of the time to its deadline'),
});

export const alert = z.object({
  id: z.string(),
  rule: z.string(),
  subject: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  state: z.enum(ALERT_STATES),
  summary: z.string(),
  details: json,
  openedAt: instant,
  lastSeenAt: instant,
  resolvedAt: instant.nullable(),
  notices: z
    .object({ opened: z.string().nullable(), escalated: z.string().nullable(), resolved: z.string().nullable() })
    .describe('where each notice to the operators stands (pending, held, sent, suppressed, digested, none)'),
});

export const monitor = z.object({
  orderId: z.string(),
  domain: z.string(),
  businessName: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  intervalSeconds: z.number(),
  status: oneOf(MONITOR_STATUSES),
  stoppedReason: z.string().nullable().describe('why it is not watched: paused_by_operator, domain_expired, domain_left, order_<state>'),
  stoppedAt: instant.nullable(),
  lastCheckedAt: instant.nullable(),
  lastOkAt: instant.nullable(),
  lastError: z.string().nullable(),
  lastHttpStatus: z.number().int().nullable(),
  lastLatencyMs: z.number().nullable(),
  consecutiveFailures: z.number().int(),
  failingSince: instant.nullable(),
  nextCheckAt: instant.nullable(),
  certificateExpiresAt: instant.nullable(),
  domainExpiresAt: instant.nullable(),
  domainCheckedAt: instant.nullable(),
  incident: z.object({ id: z.string(), since: instant.nullable(), customerNotifiedAt: instant.nullable() }).nullable(),
});

export const outboxEmail = z.object({
  id: z.string(),
  orderId: z.string().nullable(),
  kind: z.string(),
  to: z.string(),
  locale,
  subject: z.string(),
  state: oneOf(OUTBOX_STATES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  messageId: z.string(),
  createdAt: instant,
  sentAt: instant.nullable(),
});
export const outboxEmailFull = outboxEmail.extend({ from: z.string(), html: z.string(), text: z.string() });

export const failedJob = z.object({
  id: z.string(),
  task: z.string(),
  key: z.string().nullable(),
  orderId: z.string().nullable().describe('the order the job works for, read from its key'),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  failedAt: instant,
  createdAt: instant,
});

export const auditEntry = z.object({
  id: z.string(),
  at: instant,
  action: z.string(),
  target: z.string(),
  actor: oneOf(ADMIN_ACTORS).nullable().describe('null on entries older than the column'),
  details: json,
});

export const pages = {
  orders: page(adminOrderRow),
  alerts: page(alert),
  monitors: page(monitor),
  outbox: page(outboxEmail),
  failedJobs: page(failedJob),
  audit: page(auditEntry),
};

// ---------- one order, and what may be done to it ----------

/** The order's row, all of it but its tracking token (the customer's key). */
export const orderRow = z.object({
  id: z.string(),
  idempotency_key: z.string().nullable(),
  request_hash: z.string().nullable(),
  business_name: z.string(),
  email: z.string(),
  city: z.string().nullable(),
  locale,
  domain: z.string(),
  domain_unicode: z.string(),
  tier: z.enum(TIERS),
  state: z.enum(ORDER_STATES),
  currency: z.string(),
  price_items: z.array(z.object({ code: z.enum(PRICE_CODES), amountCents: z.number().int() })),
  total_cents: z.number().int(),
  premium: z.boolean(),
  premium_renewal_usd_cents: z.number().int().nullable().describe('a premium name’s renewal as the registrar quoted it, US cents'),
  premium_restore_usd_cents: z.number().int().nullable().describe('its restore fee out of redemption, US cents'),
  renewal_domain_cents: z.number().int().nullable().describe('the domain’s yearly renewal as the customer was told it (null: its first-year line)'),
  payment_provider: z.enum(PAYMENT_PROVIDERS),
  deadline_hours: z.number(),
  paid_at: instant.nullable(),
  deadline_at: instant.nullable(),
  created_at: instant,
  updated_at: instant,
  payment_ref: z.string().nullable(),
  paid_cents: z.number().int().nullable(),
  site_id: z.string().nullable(),
  site_name: z.string().nullable(),
  site_domain: z.string().nullable(),
  registrar_domain_id: z.string().nullable(),
  refund_id: z.string().nullable(),
  failure_code: z.string().nullable(),
  delivered_at: instant.nullable(),
  report: json.nullable(),
  current_step: z.string().nullable(),
  alternatives: z.array(z.unknown()).nullable(),
  domain_claimed: z.boolean(),
  erased_at: instant.nullable().describe('when its personal data was erased (on request or past its retention period)'),
});

export const orderDetail = z.object({
  order: orderRow,
  status: orderStatus,
  satisfaction: satisfactionDetail
    .nullable()
    .describe('"Are you satisfied?" with the customer’s comment (for operators only, never published); null until delivered or refunded'),
  holder: storedHolder
    .nullable()
    .describe('the domain’s holder (personal data: shown to operators, never logged); null for orders placed before holders were asked'),
  steps: z.array(
    z.object({
      order_id: z.string(),
      step: z.string(),
      state: z.string(),
      attempts: z.number().int(),
      failures: z.number().int(),
      started_at: instant,
      finished_at: instant.nullable(),
      output: json.nullable(),
      compensation: json.nullable(),
      last_error: z.string().nullable(),
    }),
  ),
  providerCalls: z.array(
    z.object({
      provider: z.string(),
      operation: z.string(),
      outcome: z.string(),
      error_code: z.string().nullable(),
      duration_ms: z.number(),
      at: instant,
    }),
  ),
  emails: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      subject: z.string(),
      state: oneOf(OUTBOX_STATES),
      to_address: z.string(),
      sent_at: instant.nullable(),
      attempts: z.number().int(),
      last_error: z.string().nullable(),
      created_at: instant,
    }),
  ),
});

export const retryBody = z.object({ step: z.string().max(40).optional() }).optional();
export const retried = z.object({ ok: z.boolean(), step: z.string().nullable().describe('the step run again (null for a refund retried)') });
export const resendBody = z.object({ emailId: z.uuid() });
export const resent = z.object({ ok: z.boolean(), emailId: z.string().describe('the new email’s id in the outbox') });
export const jobActed = z.object({ ok: z.boolean(), job: failedJob });

export const providersHealth = z.object({
  providers: z.array(
    z.object({
      provider: z.string(),
      circuit: oneOf(CIRCUIT_STATES),
      calls: z.number().int(),
      errors: z.number().int(),
      errorRate: z.number(),
      p50Ms: z.number().nullable(),
    }),
  ),
});

// ---------- figures ----------

/** The business's figures over a range (src/monitoring/stats.ts). */
export const orderFigures = z.object({
  from: instant,
  to: instant,
  requested: z.number().int().describe('orders created (requests that got a price and a payment link)'),
  paid: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int().describe('orders that failed in the range (a step could not succeed; they are refunded)'),
  successRate: z.number().nullable().describe('delivered / (delivered + failed); null when neither happened'),
  timeToLive: z.object({ meanSeconds: z.number().nullable(), medianSeconds: z.number().nullable(), p95Seconds: z.number().nullable() }),
  deadlines: z.object({ met: z.number().int(), missed: z.number().int(), share: z.number().nullable() }),
  revenue: z.object({ currency: z.string(), paidCents: z.number().int(), refundedCents: z.number().int(), netCents: z.number().int() }),
});

/** The longest window the figures are computed over. */
export const MAX_WINDOW_SECONDS = 400 * 86_400;

export const metricsQuery = z.object({
  window: z
    .string()
    .default('24h')
    .refine((w) => {
      const s = parseWindow(w);
      return s !== undefined && s <= MAX_WINDOW_SECONDS;
    }, 'a number followed by m, h or d, at most 400d'),
});

export const reportQuery = z.object({ date: z.string().refine(isDay, 'a date as YYYY-MM-DD').optional() });

export const metrics = orderFigures.extend({
  window: z.string(),
  windowSeconds: z.number(),
  inFlight: z.number().int(),
  atRisk: z.number().int(),
  overdue: z.number().int(),
  openAlerts: z.number().int(),
  sites: z.object({ up: z.number().int(), failing: z.number().int(), down: z.number().int(), unchecked: z.number().int() }),
  satisfaction: satisfactionFigures.describe('answers given in the window (share at 4 or 5 of 5), and the response rate of the orders asked in it'),
});

export const dailyReport = z.object({
  day: z.string(),
  timeZone: z.string(),
  createdAt: instant.describe('when it was stored, or computed for a report not stored'),
  partial: z.boolean().describe('today so far: the period ends at the time of the answer'),
  stored: z.boolean(),
  beforeFirstOrder: z.boolean().describe('a day that ended before the installation’s first order: empty, not stored'),
  period: z.object({ from: instant, to: instant }),
  report: orderFigures.extend({
    day: z.string(),
    timeZone: z.string(),
    incidents: z.object({ opened: z.number().int(), closed: z.number().int(), downtimeSeconds: z.number(), sites: z.array(z.string()) }),
    alerts: z.object({ opened: z.number().int(), byRule: z.record(z.string(), z.number()) }),
    satisfaction: satisfactionFigures.optional().describe('absent from the reports stored before satisfaction was measured'),
    renewals: z
      .object({
        paid: z.number().int(),
        declined: z.number().int(),
        lost: z.number().int(),
        refunded: z.number().int().optional().describe('renewals refunded because their domain had left; absent from reports stored before'),
      })
      .optional()
      .describe('renewals paid, charges declined, renewals lost at the end of grace; absent from reports stored before renewals'),
  }),
});

// ---------- as the web receives them ----------

export type AdminOrderRow = z.input<typeof adminOrderRow>;
export type AdminAlert = z.input<typeof alert>;
export type AdminMonitor = z.input<typeof monitor>;
export type OutboxEmail = z.input<typeof outboxEmail>;
export type OutboxEmailFull = z.input<typeof outboxEmailFull>;
export type AdminFailedJob = z.input<typeof failedJob>;
export type AdminAuditEntry = z.input<typeof auditEntry>;
export type AdminOrderDetail = z.input<typeof orderDetail>;
export type ProviderHealth = z.input<typeof providersHealth>['providers'][number];
export type AdminMetrics = z.input<typeof metrics>;
export type OrderFigures = z.input<typeof orderFigures>;
export type AdminDailyReport = z.input<typeof dailyReport>;
/** The list names the console pages through, and each one's filters as its query string takes them. */
export type ListName = keyof typeof listQueries;

export const jobParam = z.object({ id: z.string().regex(/^\d{1,18}$/, 'a job id') });
export const orderIdParam = z.object({ orderId: z.uuid() });
export const idParam = z.object({ id: z.uuid() });
