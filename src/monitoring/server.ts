// /metrics for a worker-only process (--role=worker with METRICS_PORT): its own counters, same bearer as the API's /metrics.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Deps } from '../deps.ts';
import { sameSecret } from '../http/admin-auth.ts';
import { renderMetrics, scrapeRegistry } from './gauges.ts';

/** Bearer tokens that may read /metrics: METRICS_TOKEN (for Prometheus) and the admin token. */
export function metricsTokenAccepted(authorization: string | undefined, tokens: (string | undefined)[]): boolean {
  const m = /^Bearer (.+)$/.exec(authorization ?? '');
  return !!m && tokens.some((t) => t !== undefined && sameSecret(m[1]!, t));
}

export async function startMetricsServer(
  deps: Deps,
  opts: { port: number; host: string; adminToken: string },
): Promise<{ url: string; close(): Promise<void> }> {
  // a worker serves only what it did; the database gauges come from the API processes
  const registry = scrapeRegistry(deps, { database: false });
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (!metricsTokenAccepted(req.headers.authorization, [deps.config.METRICS_TOKEN, opts.adminToken])) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('unauthorized');
      return;
    }
    renderMetrics(deps, registry).then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
