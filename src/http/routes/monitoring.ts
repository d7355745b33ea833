// Monitoring's HTTP side: GET /metrics (Prometheus text, bearer-protected), the admin's figures, alerts, daily reports and watched sites, and the operators' actions on failed jobs and monitors.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { requireAdmin } from '../admin-auth.ts';
import { renderMetrics, scrapeRegistry } from '../../monitoring/gauges.ts';
import { metricsTokenAccepted } from '../../monitoring/server.ts';
import { orderStats, ordersInFlight } from '../../monitoring/stats.ts';
import { isDay, parseWindow } from '../../monitoring/clock.ts';
import { reportOf } from '../../monitoring/report.ts';
import { disableMonitor, enableMonitor } from '../../monitoring/sites.ts';
import { discardFailedJob, recordAdminAction, retryFailedJob } from '../../monitoring/operations.ts';
import { listAlerts, listAudit, listFailedJobs, listMonitors, listQueries } from '../admin-lists.ts';

const MAX_WINDOW_SECONDS = 400 * 86_400;

export const monitoringRoutes: FastifyPluginAsync<{ deps: Deps; adminToken: string }> = async (fastify, { deps, adminToken }) => {
  const { db, config } = deps;
  const security = [{ admin: [] }];

  /*
   * /metrics sits on the public port, so it is not left open: order counts, queue depth and
   * provider error rates are nobody else's business. Prometheus sends METRICS_TOKEN (a token that
   * opens nothing else) with `authorization: {credentials: ...}`; the admin token and an admin
   * session also work. Worker-only processes serve their own on METRICS_PORT.
   */
  const scrape = scrapeRegistry(deps, { database: true });
  fastify.get(
    '/metrics',
    { schema: { tags: ['monitoring'], security, summary: 'Prometheus text format: this process’s counters and histograms, and gauges read from PostgreSQL.' } },
    async (req, reply) => {
      if (!metricsTokenAccepted(req.headers.authorization, [config.METRICS_TOKEN, adminToken])) await requireAdmin(db, adminToken, req, reply);
      const text = await renderMetrics(deps, scrape);
      return reply.header('content-type', scrape.contentType).header('cache-control', 'no-store').send(text);
    },
  );

  await fastify.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', async (req, reply) => requireAdmin(db, adminToken, req, reply));

    app.get(
      '/api/admin/metrics',
      {
        schema: {
          tags: ['admin'],
          security,
          summary:
            'Time to live (mean, median, p95), success rate, deadlines met and revenue over a window ("15m", "24h", "7d"); orders in flight and at risk now.',
          querystring: z.object({
            window: z
              .string()
              .default('24h')
              .refine((w) => {
                const s = parseWindow(w);
                return s !== undefined && s <= MAX_WINDOW_SECONDS;
              }, 'a number followed by m, h or d, at most 400d'),
          }),
        },
      },
      async (req) => {
        const windowSeconds = parseWindow(req.query.window)!;
        const to = new Date();
        const from = new Date(to.getTime() - windowSeconds * 1000);
        const [stats, now, alerts, sites] = await Promise.all([
          orderStats(db, from, to, config.CURRENCY),
          ordersInFlight(db, config.ALERT_DEADLINE_RISK_SHARE),
          db
            .selectFrom('alerts')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('state', '=', 'open')
            .executeTakeFirstOrThrow(),
          db
            .selectFrom('monitors')
            .select(['last_status', (eb) => eb.fn.countAll<string>().as('n')])
            .where('enabled', '=', true)
            .groupBy('last_status')
            .execute(),
        ]);
        const site = (s: string | null) => Number(sites.find((r) => r.last_status === s)?.n ?? 0);
        return {
          window: req.query.window,
          windowSeconds,
          ...stats,
          ...now,
          openAlerts: Number(alerts.n),
          sites: { up: site('up'), failing: site('failing'), down: site('down'), unchecked: site(null) },
        };
      },
    );

    app.get(
      '/api/admin/alerts',
      {
        schema: {
          tags: ['admin'],
          security,
          summary: 'Alerts, newest first, by state, rule and severity, searched by subject and summary; paged: {items, total, totalIsExact, nextCursor}.',
          querystring: listQueries.alerts,
        },
      },
      async (req) => listAlerts(deps, req.query),
    );

    app.get(
      '/api/admin/reports/daily',
      {
        schema: {
          tags: ['admin'],
          security,
          summary:
            'The daily report of a day (YYYY-MM-DD in REPORT_TIME_ZONE); without a date, yesterday’s once the installation has a finished day, else today so far. ' +
            'Today is `partial: true` (its period ends now, nothing stored); a past day not yet reported is computed and stored once; a day before the first order is an empty report, not stored. A day to come is 422.',
          querystring: z.object({ date: z.string().refine(isDay, 'a date as YYYY-MM-DD').optional() }),
        },
      },
      async (req) => reportOf(deps, req.query.date),
    );

    app.get(
      '/api/admin/monitors',
      {
        schema: {
          tags: ['admin'],
          security,
          summary:
            'Watched sites with their last check, certificate and domain expiry, and open incident; down ones first, stopped ones last; by status, searched by domain and business; paged: {items, total, totalIsExact, nextCursor}.',
          querystring: listQueries.monitors,
        },
      },
      async (req) => listMonitors(deps, req.query),
    );

    const orderParam = z.object({ orderId: z.uuid() });
    app.post(
      '/api/admin/monitors/:orderId/pause',
      { schema: { tags: ['admin'], security, summary: 'Stop watching a site (its open incident closes); audit-logged.', params: orderParam } },
      async (req) => {
        if (!(await disableMonitor(deps, req.params.orderId, 'paused_by_operator'))) throw new AppError('action_not_possible', 409);
        await recordAdminAction(deps, req.adminActor, 'monitor_pause', req.params.orderId, {});
        return { ok: true };
      },
    );
    app.post(
      '/api/admin/monitors/:orderId/resume',
      { schema: { tags: ['admin'], security, summary: 'Watch a stopped site again, checked at once; audit-logged.', params: orderParam } },
      async (req) => {
        if (!(await enableMonitor(deps, req.params.orderId))) throw new AppError('action_not_possible', 409);
        await recordAdminAction(deps, req.adminActor, 'monitor_resume', req.params.orderId, {});
        return { ok: true };
      },
    );

    app.get(
      '/api/admin/jobs/failed',
      {
        schema: {
          tags: ['admin'],
          security,
          summary:
            'Queue jobs that used up their attempts and will not run again unless retried, latest failure first, by task; paged: {items, total, totalIsExact, nextCursor}.',
          querystring: listQueries.failedJobs,
        },
      },
      async (req) => listFailedJobs(deps, req.query),
    );
    const jobParam = z.object({ id: z.string().regex(/^\d{1,18}$/, 'a job id') });
    app.post(
      '/api/admin/jobs/:id/retry',
      { schema: { tags: ['admin'], security, summary: 'Run a failed job again now, with its attempts counted afresh; audit-logged.', params: jobParam } },
      async (req) => ({ ok: true, job: await retryFailedJob(deps, req.adminActor, req.params.id) }),
    );
    app.post(
      '/api/admin/jobs/:id/discard',
      { schema: { tags: ['admin'], security, summary: 'Remove a failed job for good (an operator has dealt with it); audit-logged.', params: jobParam } },
      async (req) => ({ ok: true, job: await discardFailedJob(deps, req.adminActor, req.params.id) }),
    );

    app.get(
      '/api/admin/audit',
      {
        schema: {
          tags: ['admin'],
          security,
          summary:
            'What operators did outside orders’ timelines (failed jobs retried or discarded, monitors paused or resumed), latest first, by action and actor (console or api), searched by target; paged: {items, total, totalIsExact, nextCursor}.',
          querystring: listQueries.audit,
        },
      },
      async (req) => listAudit(deps, req.query),
    );
  });
};
