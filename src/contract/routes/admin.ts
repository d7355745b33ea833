// The operators' routes, as "METHOD /path": the console's session, the lists, an order's story and actions, figures, alerts, sites, failed jobs.
import { errors, langQuery, media, ok } from '../common.ts';
import {
  dailyReport,
  idParam,
  jobActed,
  jobParam,
  listQueries,
  login,
  metrics,
  metricsQuery,
  orderDetail,
  orderIdParam,
  outboxEmailFull,
  pages,
  providersHealth,
  reportQuery,
  resendBody,
  resent,
  retried,
  retryBody,
  session,
} from '../admin.ts';

/** The admin token as a bearer, or the console's session cookie (then x-csrf-token on anything that changes state). */
const security: { [scheme: string]: string[] }[] = [{ admin: [] }, { session: [] }];
const guarded = { 401: 'unauthorized', 403: 'csrf_invalid: a session without its x-csrf-token' } as const;
const paged = (what: string) => `${what}; paged: {items, total, totalIsExact, nextCursor}.`;

export const adminRoutes = {
  'POST /api/admin/login': {
    tags: ['admin'],
    summary: 'Log in with the admin password: sets an httpOnly session cookie.',
    body: login,
    response: { 200: session.describe('signed in: the session cookie is set'), ...errors({ 401: 'login_failed' }) },
  },
  'POST /api/admin/logout': {
    tags: ['admin'],
    summary: 'End the session (its cookie is cleared).',
    response: { 200: ok.describe('signed out'), ...errors() },
  },
  'GET /api/admin/session': {
    tags: ['admin'],
    summary: 'Whether the session cookie is valid, with its CSRF token.',
    response: { 200: session.describe('the session holds'), ...errors({ 401: 'unauthorized' }) },
  },
  'GET /api/admin/outbox': {
    tags: ['admin'],
    security,
    summary: paged('Every email in the outbox (queued, sending, sent, failed), newest first, by state, searched by recipient and subject'),
    querystring: listQueries.outbox,
    response: { 200: pages.outbox.describe('a page of emails'), ...errors(guarded) },
  },
  'GET /api/admin/outbox/:id': {
    tags: ['admin'],
    security,
    summary: 'One email of the outbox with its HTML and plain-text bodies.',
    params: idParam,
    response: { 200: outboxEmailFull.describe('the email with its bodies'), ...errors({ ...guarded, 404: 'not_found' }) },
  },
  'GET /api/admin/orders': {
    tags: ['admin'],
    security,
    summary: paged('Orders, newest first, by state, tier, payment provider, creation time and deadline at risk, searched by domain, business, email and id'),
    querystring: listQueries.orders,
    response: { 200: pages.orders.describe('a page of orders'), ...errors(guarded) },
  },
  'GET /api/admin/orders/:id': {
    tags: ['admin'],
    security,
    summary: "An order's whole story.",
    params: idParam,
    querystring: langQuery,
    response: { 200: orderDetail.describe('the order’s row, its status, steps, provider calls and emails'), ...errors({ ...guarded, 404: 'order_not_found' }) },
  },
  'POST /api/admin/orders/:id/retry': {
    tags: ['admin'],
    security,
    summary: 'Run the current step again now (its failure count starts over).',
    params: idParam,
    body: retryBody,
    response: { 200: retried.describe('the step is queued again'), ...errors({ ...guarded, 404: 'order_not_found', 409: 'action_not_possible' }) },
  },
  'POST /api/admin/orders/:id/refund': {
    tags: ['admin'],
    security,
    summary: 'Stop the order and refund the customer.',
    params: idParam,
    response: { 200: ok.describe('the refund has started'), ...errors({ ...guarded, 404: 'order_not_found', 409: 'action_not_possible' }) },
  },
  'POST /api/admin/orders/:id/resend-email': {
    tags: ['admin'],
    security,
    summary: 'Send one of the order’s emails again.',
    params: idParam,
    body: resendBody,
    response: { 200: resent.describe('a copy is queued'), ...errors({ ...guarded, 404: '`order_not_found`, `not_found` (no such email of this order)' }) },
  },
  'GET /api/admin/providers/health': {
    tags: ['admin'],
    security,
    summary: 'Circuit state and error rate per provider (last 15 minutes).',
    response: { 200: providersHealth.describe('each provider’s circuit and figures'), ...errors(guarded) },
  },
};

export const monitoringRoutes = {
  'GET /metrics': {
    tags: ['monitoring'],
    security,
    summary: 'Prometheus text format: this process’s counters and histograms, and gauges read from PostgreSQL.',
    response: { 200: media('the Prometheus exposition format (text/plain; version=0.0.4)', ['text/plain']), ...errors({ 401: 'unauthorized' }) },
  },
  'GET /api/admin/metrics': {
    tags: ['admin'],
    security,
    summary: 'Time to live (mean, median, p95), success rate, deadlines met and revenue over a window ("15m", "24h", "7d"); orders in flight and at risk now.',
    querystring: metricsQuery,
    response: { 200: metrics.describe('the figures over the window, and now'), ...errors(guarded) },
  },
  'GET /api/admin/alerts': {
    tags: ['admin'],
    security,
    summary: paged('Alerts, newest first, by state, rule and severity, searched by subject and summary'),
    querystring: listQueries.alerts,
    response: { 200: pages.alerts.describe('a page of alerts'), ...errors(guarded) },
  },
  'GET /api/admin/reports/daily': {
    tags: ['admin'],
    security,
    summary:
      'The daily report of a day (YYYY-MM-DD in REPORT_TIME_ZONE); without a date, yesterday’s once the installation has a finished day, else today so far. ' +
      'Today is `partial: true` (its period ends now, nothing stored); a past day not yet reported is computed and stored once; a day before the first order is an empty report, not stored. A day to come is 422.',
    querystring: reportQuery,
    response: { 200: dailyReport.describe('the day’s report and which kind it is'), ...errors({ ...guarded, 422: 'report_day_in_future' }) },
  },
  'GET /api/admin/monitors': {
    tags: ['admin'],
    security,
    summary: paged(
      'Watched sites with their last check, certificate and domain expiry, and open incident; down ones first, stopped ones last; by status, searched by domain and business',
    ),
    querystring: listQueries.monitors,
    response: { 200: pages.monitors.describe('a page of watched sites'), ...errors(guarded) },
  },
  'POST /api/admin/monitors/:orderId/pause': {
    tags: ['admin'],
    security,
    summary: 'Stop watching a site (its open incident closes); audit-logged.',
    params: orderIdParam,
    response: { 200: ok.describe('no longer watched'), ...errors({ ...guarded, 409: 'action_not_possible' }) },
  },
  'POST /api/admin/monitors/:orderId/resume': {
    tags: ['admin'],
    security,
    summary: 'Watch a stopped site again, checked at once; audit-logged.',
    params: orderIdParam,
    response: { 200: ok.describe('watched again'), ...errors({ ...guarded, 409: 'action_not_possible' }) },
  },
  'GET /api/admin/jobs/failed': {
    tags: ['admin'],
    security,
    summary: paged('Queue jobs that used up their attempts and will not run again unless retried, latest failure first, by task'),
    querystring: listQueries.failedJobs,
    response: { 200: pages.failedJobs.describe('a page of failed jobs'), ...errors(guarded) },
  },
  'POST /api/admin/jobs/:id/retry': {
    tags: ['admin'],
    security,
    summary: 'Run a failed job again now, with its attempts counted afresh; audit-logged.',
    params: jobParam,
    response: {
      200: jobActed.describe('the job runs again'),
      ...errors({ ...guarded, 404: 'not_found', 409: 'action_not_possible: the job is still retrying or running' }),
    },
  },
  'POST /api/admin/jobs/:id/discard': {
    tags: ['admin'],
    security,
    summary: 'Remove a failed job for good (an operator has dealt with it); audit-logged.',
    params: jobParam,
    response: {
      200: jobActed.describe('the job is gone'),
      ...errors({ ...guarded, 404: 'not_found', 409: 'action_not_possible: the job is still retrying or running' }),
    },
  },
  'GET /api/admin/audit': {
    tags: ['admin'],
    security,
    summary: paged(
      'What operators did outside orders’ timelines (failed jobs retried or discarded, monitors paused or resumed), latest first, by action and actor (console or api), searched by target',
    ),
    querystring: listQueries.audit,
    response: { 200: pages.audit.describe('a page of the audit log'), ...errors(guarded) },
  },
};
