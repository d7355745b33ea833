// What every PayPal API call goes through around its route: faults, the Bearer token, PayPal-Request-Id replays,
// `Prefer`, and PayPal's error body. Routes are routes.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/answer.ts';
import { canonicalJson, header, jsonObject, readText } from '../http/body.ts';
import type { Router } from '../http/router.ts';
import { KeptFor } from '../clock.ts';
import type { FaultInjector } from '../faults.ts';
import { PaypalApiError, debugId, errorBody, invalidRequest, unprocessable } from './api.ts';
import type { PaypalOAuth } from './oauth.ts';
import type { PaypalOrder } from './objects.ts';
import type { Answer, PaypalCall, PaypalRoute } from './routes.ts';

interface RequestIdRecord {
  body: string;
  /** PayPal answers a repeated PayPal-Request-Id with the latest state of what the first request made */
  latest: () => Answer;
}

/** PayPal stores a request id "for a period of time" set per API (developer.paypal.com/reference/guidelines/idempotency); a day covers any retry. */
const REQUEST_ID_TTL_MS = 24 * 3600 * 1000;

/** PayPal's 500 INTERNAL_SERVER_ERROR, for injected faults. */
export const answerServerError = (res: ServerResponse) =>
  sendJson(res, 500, errorBody(new PaypalApiError(500, 'INTERNAL_SERVER_ERROR', 'An internal server error has occurred.')));

const malformed = () => invalidRequest({ location: 'body', issue: 'MALFORMED_REQUEST_JSON', description: 'The request JSON is not well formed.' });

export function paypalApi(o: { router: Router<PaypalRoute>; faults: FaultInjector; oauth: PaypalOAuth }) {
  const requestIds = new KeptFor<RequestIdRecord>(REQUEST_ID_TTL_MS);

  /**
   * PayPal-Request-Id (developer.paypal.com/reference/guidelines/idempotency): "PayPal returns the latest status of the
   * previous request that used that same header"; the same id with another body is PAYPAL_REQUEST_ID_PREVIOUSLY_USED.
   */
  function once(req: IncomingMessage, path: string, raw: string, run: () => Answer & { latest: () => Answer }): Answer {
    const requestId = header(req, 'paypal-request-id');
    if (!requestId) return run();
    const key = `${path}|${requestId}`;
    const body = canonicalJson(raw ? JSON.parse(raw) : {});
    const seen = requestIds.get(key);
    if (seen && seen.body !== body) {
      throw unprocessable('PAYPAL_REQUEST_ID_PREVIOUSLY_USED', 'The PayPal-Request-Id has already been used for another request.');
    }
    if (seen) {
      const latest = seen.latest();
      return { status: latest.status === 201 ? 200 : latest.status, body: latest.body };
    }
    const result = run();
    requestIds.set(key, { body, latest: result.latest });
    return result;
  }

  function call(req: IncomingMessage, method: string, path: string, raw: string, params: Record<string, string>): PaypalCall {
    const json = (): Record<string, unknown> => {
      const body = jsonObject(raw);
      if (!body) throw malformed();
      return body;
    };
    // `Prefer: return=minimal` (the default) answers id, status and links; return=representation the whole object
    const minimal = !/return=representation/i.test(header(req, 'prefer') ?? '');
    return {
      params,
      authorization: req.headers.authorization,
      raw,
      query: new URL(req.url ?? '/', 'http://sandbox').searchParams,
      json,
      // a JSON Patch body is an array, which json() refuses
      jsonPatch: () => {
        if (method !== 'PATCH' || !raw.trim().startsWith('[')) return json();
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          throw malformed();
        }
      },
      minimal,
      show: (order: PaypalOrder) =>
        minimal ? { id: order.id, status: order.status, ...(order.payment_source ? { payment_source: order.payment_source } : {}), links: order.links } : order,
      once: (run) => once(req, path, raw, run),
      requestId: header(req, 'paypal-request-id'),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!(await o.faults.apply(req, res, answerServerError))) return;
    const method = req.method ?? 'GET';
    const raw = await readText(req);
    const id = debugId();
    const headers = { 'paypal-debug-id': id };
    const found = o.router.find(method, path);

    if (found?.route.public) {
      const { status, body } = found.route.run(call(req, method, path, raw, found.params));
      return sendJson(res, status, body, { headers });
    }
    if (!o.oauth.authenticated(req)) {
      // v1 answers in OAuth's words, v2 in the REST error format
      const body = path.startsWith('/v1/')
        ? { error: 'invalid_token', error_description: 'Token signature verification failed' }
        : errorBody(
            new PaypalApiError(
              401,
              'AUTHENTICATION_FAILURE',
              'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
            ),
            id,
          );
      return sendJson(res, 401, body, { headers });
    }
    if (method === 'POST' && found?.route.spends) await o.faults.spending('paypal', found.route.spends, req, res, answerServerError);
    try {
      if (!found) {
        throw new PaypalApiError(404, 'NOT_FOUND', 'The specified resource does not exist.', [
          { issue: 'RESOURCE_NOT_FOUND', description: `No route for ${method} ${path}.` },
        ]);
      }
      const { status, body } = found.route.run(call(req, method, path, raw, found.params));
      sendJson(res, status, body, { headers });
    } catch (err) {
      if (!(err instanceof PaypalApiError)) throw err;
      sendJson(res, err.status, errorBody(err, id), { headers });
    }
  }

  return { handle, close: () => requestIds.close() };
}
