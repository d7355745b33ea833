// Monitoring's HTTP side: GET /metrics (Prometheus text, bearer-protected), the admin's figures, alerts, daily reports and watched sites, and the operators' actions on failed jobs and monitors.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { requireAdmin } from '../admin-auth.ts';
import { renderMetrics, scrapeRegistry } from '../../monitoring/gauges.ts';
import { metricsTokenAccepted } from '../../monitoring/server.ts';
import { orderStats, ordersInFlight } from '../../monitoring/stats.ts';
import { parseWindow } from '../../monitoring/clock.ts';
import { satisfactionStats } from '../../monitoring/satisfaction.ts';
import { reportOf } from '../../monitoring/report.ts';
import { disableMonitor, enableMonitor } from '../../monitoring/sites.ts';
import { discardFailedJob, recordAdminAction, retryFailedJob } from '../../monitoring/operations.ts';
import { listAlerts, listAudit, listFailedJobs, listMonitors } from '../admin-lists.ts';
import { routes } from '../../contract/index.ts';

export const monitoringRoutes: FastifyPluginAsync<{ deps: Deps; adminToken: string }> = async (fastify, { deps, adminToken }) => {
  const { db, config } = deps;

  /*
   * /metrics sits on the public port, so it is not left open: order counts, queue depth and
   * provider error rates are nobody else's business. Prometheus sends METRICS_TOKEN (a token that
   * opens nothing else) with `authorization: {credentials: ...}`; the admin token and an admin
   * session also work. Worker-only processes serve their own on METRICS_PORT.
   */
  const scrape = scrapeRegistry(deps, { database: true });
  fastify.get('/metrics', { schema: routes['GET /metrics'] }, async (req, reply) => {
    if (!metricsTokenAccepted(req.headers.authorization, [config.METRICS_TOKEN, adminToken])) await requireAdmin(db, adminToken, req, reply);
    const text = await renderMetrics(deps, scrape);
    return reply.header('content-type', scrape.contentType).header('cache-control', 'no-store').send(text);
  });

  await fastify.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', async (req, reply) => requireAdmin(db, adminToken, req, reply));

    app.get('/api/admin/metrics', { schema: routes['GET /api/admin/metrics'] }, async (req) => {
      const windowSeconds = parseWindow(req.query.window)!;
      const to = new Date();
      const from = new Date(to.getTime() - windowSeconds * 1000);
      const [stats, satisfaction, now, alerts, sites] = await Promise.all([
        orderStats(db, from, to, config.CURRENCY),
        satisfactionStats(db, from, to),
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
        satisfaction,
      };
    });

    app.get('/api/admin/alerts', { schema: routes['GET /api/admin/alerts'] }, async (req) => listAlerts(deps, req.query));

    app.get('/api/admin/reports/daily', { schema: routes['GET /api/admin/reports/daily'] }, async (req) => reportOf(deps, req.query.date));

    app.get('/api/admin/monitors', { schema: routes['GET /api/admin/monitors'] }, async (req) => listMonitors(deps, req.query));

    app.post('/api/admin/monitors/:orderId/pause', { schema: routes['POST /api/admin/monitors/:orderId/pause'] }, async (req) => {
      if (!(await disableMonitor(deps, req.params.orderId, 'paused_by_operator'))) throw new AppError('action_not_possible', 409);
      await recordAdminAction(deps, req.adminActor, 'monitor_pause', req.params.orderId, {});
      return { ok: true };
    });
    app.post('/api/admin/monitors/:orderId/resume', { schema: routes['POST /api/admin/monitors/:orderId/resume'] }, async (req) => {
      if (!(await enableMonitor(deps, req.params.orderId))) throw new AppError('action_not_possible', 409);
      await recordAdminAction(deps, req.adminActor, 'monitor_resume', req.params.orderId, {});
      return { ok: true };
    });

    app.get('/api/admin/jobs/failed', { schema: routes['GET /api/admin/jobs/failed'] }, async (req) => listFailedJobs(deps, req.query));
    app.post('/api/admin/jobs/:id/retry', { schema: routes['POST /api/admin/jobs/:id/retry'] }, async (req) => ({
      ok: true,
      job: await retryFailedJob(deps, req.adminActor, req.params.id),
    }));
    app.post('/api/admin/jobs/:id/discard', { schema: routes['POST /api/admin/jobs/:id/discard'] }, async (req) => ({
      ok: true,
      job: await discardFailedJob(deps, req.adminActor, req.params.id),
    }));

    app.get('/api/admin/audit', { schema: routes['GET /api/admin/audit'] }, async (req) => listAudit(deps, req.query));
  });
};
