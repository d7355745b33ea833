// What every Stripe API call goes through before and after its route: faults, the secret key, form parameters,
// Idempotency-Key replays, and Stripe's error body. Routes are routes.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { sendJson } from '../http/answer.ts';
import { canonicalJson, header, readText } from '../http/body.ts';
import type { Match, Router } from '../http/router.ts';
import { KeptFor } from '../clock.ts';
import type { FaultInjector } from '../faults.ts';
import { StripeApiError, parseForm, randomId, type Params } from './api.ts';
import type { StripeRoute } from './routes.ts';
import type { EventRequest } from './state.ts';

const API_VERSION: string = Stripe.API_VERSION;
/** "You can remove keys from the system automatically after they're at least 24 hours old" (docs.stripe.com/api/idempotent_requests) */
const IDEMPOTENCY_KEY_TTL_MS = 24 * 3600 * 1000;

interface SavedResponse {
  endpoint: string;
  params: string;
  status: number;
  body: string;
}

export const STRIPE_JSON = { space: 2 } as const;

/** Stripe's 500 (`api_error`), for injected faults. */
export const answerServerError = (res: ServerResponse) =>
  sendJson(res, 500, { error: { type: 'api_error', message: 'Sandbox: injected server error. Please retry.' } }, STRIPE_JSON);

export function stripeApi(o: { router: Router<StripeRoute>; faults: FaultInjector; secretKey: string }) {
  const idempotent = new KeptFor<SavedResponse>(IDEMPOTENCY_KEY_TTL_MS);

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!(await o.faults.apply(req, res, answerServerError))) return;
    const method = req.method ?? 'GET';
    const raw = await readText(req);
    const requestId = randomId('req_', 14);
    const key = header(req, 'idempotency-key');
    const headers: Record<string, string> = { 'request-id': requestId, 'stripe-version': header(req, 'stripe-version') ?? API_VERSION };
    if (key) headers['idempotency-key'] = key;

    if (!authorized(req.headers.authorization, o.secretKey) || o.faults.faults.revokedCredentials) {
      return sendJson(res, 401, { error: authenticationError(req.headers.authorization, !!o.faults.faults.revokedCredentials) }, { ...STRIPE_JSON, headers });
    }

    // POST parameters are the form body, GET ones the query string (docs.stripe.com/api: "Request body" / query parameters)
    const params = method === 'POST' ? parseForm(raw) : parseForm(url.search.slice(1));
    const endpoint = `${method} ${url.pathname}`;
    const found = o.router.find(method, url.pathname);
    if (found?.route.spends) await o.faults.spending('stripe', found.route.spends, req, res, answerServerError);
    const canonical = canonicalJson(params);
    // "The idempotency layer compares incoming parameters to those of the original request and errors if they're not
    // the same" (docs.stripe.com/api/idempotent_requests); a same-key retry answers the saved status and body
    if (method === 'POST' && key) {
      const saved = idempotent.get(key);
      if (saved && (saved.endpoint !== endpoint || saved.params !== canonical)) {
        const message =
          saved.endpoint !== endpoint
            ? `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${saved.endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`
            : `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;
        return sendJson(res, 400, { error: { type: 'idempotency_error', message } }, { ...STRIPE_JSON, headers });
      }
      if (saved) {
        res.writeHead(saved.status, { 'content-type': 'application/json', ...headers, 'idempotent-replayed': 'true' });
        res.end(saved.body);
        return;
      }
    }

    const { status, body, save } = run(found, method, url.pathname, params, { id: requestId, idempotency_key: key ?? null });
    if (method === 'POST' && key && save) idempotent.set(key, { endpoint, params: canonical, status, body });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  }

  return { handle, close: () => idempotent.close() };
}

/** The route's answer, or its refusal with the error code's doc_url; `save` is false for what Stripe does not keep for replays. */
function run(found: Match<StripeRoute> | undefined, method: string, path: string, params: Params, request: EventRequest) {
  try {
    if (!found) {
      throw new StripeApiError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      });
    }
    const body = found.route.run({ params: found.params, body: params, request });
    return { status: 200, body: JSON.stringify(body, null, 2), save: true };
  } catch (err) {
    if (!(err instanceof StripeApiError)) throw err;
    const code = err.body.code;
    const docUrl = code ? { doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` } : {};
    return { status: err.status, body: JSON.stringify({ error: { ...err.body, ...docUrl } }, null, 2), save: err.saved };
  }
}

/** "Authentication to the API is performed with HTTP Basic Auth [...] You can also use Bearer auth" (docs.stripe.com/api/authentication). */
function authorized(authorization: string | undefined, secretKey: string): boolean {
  if (!authorization) return false;
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization);
  if (bearer) return bearer[1].trim() === secretKey;
  const basic = /^Basic\s+(.+)$/i.exec(authorization);
  if (basic) return Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0] === secretKey;
  return false;
}

/** No key, an unknown key, or a rolled one (`api_key_expired`, docs.stripe.com/error-codes/api-key-expired): always 401. */
function authenticationError(authorization: string | undefined, revoked: boolean) {
  const given = redactKey((authorization ?? '').replace(/^Bearer\s+/i, ''));
  if (!authorization) {
    return {
      type: 'invalid_request_error',
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    };
  }
  if (revoked) {
    return {
      type: 'invalid_request_error',
      code: 'api_key_expired',
      doc_url: 'https://stripe.com/docs/error-codes/api-key-expired',
      message: `Expired API Key provided: ${given}`,
    };
  }
  return { type: 'invalid_request_error', message: `Invalid API Key provided: ${given}` };
}

function redactKey(key: string): string {
  return key.length > 8 ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '****';
}
