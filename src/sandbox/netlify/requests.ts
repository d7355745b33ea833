// What every Netlify API call goes through around its route: faults, the Bearer token, the per-token rate limit with
// its X-RateLimit-* headers, body limits, and Netlify's `{code, message}` errors. Routes are routes.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/answer.ts';
import { BodyTooLarge, jsonObject, readBody } from '../http/body.ts';
import type { SlidingWindow, WindowAnswer } from '../http/rate-window.ts';
import type { Router } from '../http/router.ts';
import type { FaultInjector } from '../faults.ts';
import type { NetlifyCall, NetlifyRoute } from './routes.ts';
import { RateLimited } from './routes.ts';
import { ApiError } from './state.ts';

const JSON_LIMIT = 10 * 1024 * 1024;
const UPLOAD_LIMIT = 50 * 1024 * 1024;

export const NETLIFY_JSON = { contentType: 'application/json; charset=utf-8' } as const;
export const answerServerError = (res: ServerResponse) => sendJson(res, 500, { code: 500, message: 'Internal Server Error' }, NETLIFY_JSON);

/**
 * "X-RateLimit-Limit / X-RateLimit-Remaining / X-RateLimit-Reset" on every answer, Reset in Unix seconds
 * (docs.netlify.com/api-and-cli-guides/api-guides/get-started-with-api, "Rate limiting").
 */
function rateHeaders(res: ServerResponse, r: WindowAnswer): void {
  res.setHeader('x-ratelimit-limit', String(r.limit));
  res.setHeader('x-ratelimit-remaining', String(r.remaining));
  res.setHeader('x-ratelimit-reset', String(Math.ceil(r.resetAt / 1000)));
}

function tooMany(res: ServerResponse, r: WindowAnswer): void {
  rateHeaders(res, r);
  res.setHeader('retry-after', String(Math.max(1, Math.ceil((r.resetAt - Date.now()) / 1000))));
  sendJson(res, 429, { code: 429, message: 'Rate limit exceeded' }, NETLIFY_JSON);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = jsonObject((await readBody(req, JSON_LIMIT)).toString('utf8'));
  if (!body) throw new ApiError(400, { code: 400, message: 'Bad Request: the body is not a JSON object' });
  return body;
}

export function netlifyApi(o: { router: Router<NetlifyRoute>; faults: FaultInjector; token: string; apiLimit: SlidingWindow }) {
  /** `path` is under /api/v1; `query` its search parameters. */
  return async function handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (!(await o.faults.apply(req, res, answerServerError))) return;
    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!auth || auth[1].trim() !== o.token || o.faults.faults.revokedCredentials)
      return sendJson(res, 401, { code: 401, message: 'Access Denied' }, NETLIFY_JSON);
    const now = Date.now();
    const budget = o.apiLimit.take(o.token, now);
    if (!budget.allowed) return tooMany(res, budget);
    rateHeaders(res, budget);

    const method = req.method ?? 'GET';
    // empty segments ("//") name nothing, as on the real API
    const found = o.router.find(method, `/${path.split('/').filter(Boolean).join('/')}`);
    if (found?.route.creates) await o.faults.spending('netlify', found.route.creates, req, res, answerServerError);
    const call: NetlifyCall = {
      params: found?.params ?? {},
      query,
      json: () => readJson(req),
      bytes: () => readBody(req, UPLOAD_LIMIT),
      now,
      path,
    };
    try {
      if (!found) throw new ApiError(404, { code: 404, message: 'Not Found' });
      const { status, body, headers } = await found.route.run(call);
      for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
      if (status === 204) res.writeHead(204).end();
      else sendJson(res, status, body, NETLIFY_JSON);
    } catch (err) {
      if (err instanceof RateLimited) return tooMany(res, err.window);
      if (err instanceof BodyTooLarge) return sendJson(res, 413, { code: 413, message: 'Request Entity Too Large' }, NETLIFY_JSON);
      if (err instanceof ApiError) return sendJson(res, err.status, err.body, NETLIFY_JSON);
      throw err;
    }
  };
}
