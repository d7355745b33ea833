// The Stripe sandbox: the part of Stripe's API the official SDK calls for Checkout (sessions, refunds), the hosted payment page, and signed webhooks.
//
// Reading guide, in the order a payment lives:
//   POST /v1/checkout/sessions            form-encoded, Bearer secret key, Idempotency-Key → Checkout Session (status open)
//   GET  /c/pay/{id}                       the hosted page the customer is sent to (checkout.stripe.com in real life)
//   POST /c/pay/{id}/pay                   the customer pays → session complete + `checkout.session.completed` webhook
//   GET  /v1/checkout/sessions/{id}        the app reads the outcome
//   POST /v1/checkout/sessions/{id}/expire the app kills a link it replaced → `checkout.session.expired`
//   POST /v1/refunds                       payment_intent + amount → Refund + `charge.refunded`
//   /v1/webhook_endpoints                  where events go (webhook-endpoints.ts): the app's endpoint, registered at start
// Sandbox-only controls live under /__sandbox/ (pay without a browser, list the events sent).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import type { FaultInjector, SandboxServer } from '../faults.ts';
import { WebhookOutbox, type WebhookAttempt } from '../webhook-outbox.ts';
import { StripeApiError, invalid, missingParam, randomId, type Params } from './api.ts';
import { StripeWebhookEndpoints } from './webhook-endpoints.ts';

export interface StripeSandboxOptions {
  /** the only secret key accepted (as `Authorization: Bearer sk_test_...` or HTTP Basic user) */
  secretKey: string;
  /** whsec_... shared with the app; every webhook is signed with it */
  webhookSecret: string;
  /** where events are POSTed; a function so the app's port can be known after the sandbox starts */
  webhookUrl: string | (() => string | undefined);
  /** base of the hosted page URLs handed to customers (defaults to the server's own URL) */
  publicBaseUrl?: string;
  host?: string;
  port?: number;
  faults: FaultInjector;
  /** shortens every session to this many seconds (the real minimum is 30 minutes; demos and tests need less) */
  checkoutTtlSeconds?: number;
  /** waits between webhook delivery attempts; one more attempt than delays (real Stripe retries for 3 days) */
  webhookRetryDelaysMs?: number[];
  /** how long a webhook picked for reordering waits for the next event before going out anyway */
  reorderHoldMs?: number;
}

/** The wire shape of a Checkout Session (the fields this sandbox models; the rest are their real defaults). */
export interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  after_expiration: null;
  allow_promotion_codes: null;
  amount_subtotal: number;
  amount_total: number;
  automatic_tax: { enabled: false; liability: null; status: null };
  billing_address_collection: null;
  cancel_url: string | null;
  client_reference_id: string | null;
  client_secret: null;
  created: number;
  currency: string;
  customer: null;
  customer_creation: 'if_required';
  customer_details: { email: string | null; name: string | null; phone: null; tax_exempt: 'none'; tax_ids: [] } | null;
  customer_email: string | null;
  expires_at: number;
  invoice: null;
  livemode: false;
  locale: string | null;
  metadata: Record<string, string>;
  mode: 'payment';
  payment_intent: string | null;
  payment_link: null;
  payment_method_collection: 'if_required';
  payment_method_types: string[];
  payment_status: 'paid' | 'unpaid';
  recovered_from: null;
  setup_intent: null;
  status: 'open' | 'complete' | 'expired';
  submit_type: null;
  subscription: null;
  success_url: string;
  total_details: { amount_discount: number; amount_shipping: number; amount_tax: number };
  ui_mode: 'hosted';
  /** only while the session is open, as in the real API */
  url: string | null;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: object };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export type { WebhookAttempt } from '../webhook-outbox.ts';

export interface SentEvent {
  event: StripeEvent;
  attempts: WebhookAttempt[];
}

export interface StripeSandbox extends SandboxServer {
  /** every Checkout Session, oldest first */
  sessions(): CheckoutSession[];
  /** every event and its delivery attempts, oldest first */
  events(): SentEvent[];
  /** pays an open session as the hosted page does; a paid session is returned unchanged */
  pay(sessionId: string, email?: string): CheckoutSession;
  /** builds, signs and delivers an event, for tests that need an event the flow does not produce */
  sendEvent(type: string, object: object): StripeEvent;
  /** resolves once no webhook is waiting for delivery or retry */
  webhooksIdle(): Promise<void>;
  /** the account's webhook endpoints (the app's is `appEndpointId`); tests change or remove it as the Dashboard would */
  webhookEndpoints: StripeWebhookEndpoints;
}

const API_VERSION: string = Stripe.API_VERSION;
const DAY_SECONDS = 24 * 3600;
const MIN_EXPIRY_SECONDS = 30 * 60;
/** the real API accepts expires_at a little short of 30 minutes because the caller's clock and ours differ */
const EXPIRY_SLACK_SECONDS = 60;
const TEST_CARD = '4242 4242 4242 4242';
/** Stripe's test card that is always declined */
const DECLINED_CARD = '4000000000000002';

/** Parameters of POST /v1/checkout/sessions the API knows; the sandbox models some and accepts the rest. */
const SESSION_PARAMS = new Set([
  'mode',
  'line_items',
  'customer_email',
  'customer',
  'client_reference_id',
  'metadata',
  'success_url',
  'cancel_url',
  'expires_at',
  'locale',
  'payment_method_types',
  'payment_intent_data',
  'submit_type',
  'billing_address_collection',
  'allow_promotion_codes',
  'ui_mode',
  'expand',
  'customer_creation',
  'phone_number_collection',
  'automatic_tax',
  'custom_text',
  'consent_collection',
  'invoice_creation',
  'tax_id_collection',
  'after_expiration',
  'payment_method_options',
]);
const REFUND_PARAMS = new Set(['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand', 'instructions_email']);

interface SessionRecord {
  session: CheckoutSession;
  /** what the hosted page shows: the line items' names */
  productName: string;
  /** payment_intent_data[metadata], copied onto the PaymentIntent created at payment */
  paymentIntentMetadata: Record<string, string>;
  expiryTimer?: NodeJS.Timeout;
}

interface PaymentIntentRecord {
  id: string;
  chargeId: string;
  amount: number;
  currency: string;
  amountRefunded: number;
  metadata: Record<string, string>;
  created: number;
}

interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  balance_transaction: string;
  charge: string;
  created: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string | null;
  receipt_number: null;
  source_transfer_reversal: null;
  status: 'succeeded';
  transfer_reversal: null;
}

interface SavedResponse {
  endpoint: string;
  params: string;
  status: number;
  body: string;
  at: number;
}

export async function startStripeServer(opts: StripeSandboxOptions): Promise<StripeSandbox> {
  const { faults } = opts;
  const sessions = new Map<string, SessionRecord>();
  const paymentIntents = new Map<string, PaymentIntentRecord>();
  const refunds = new Map<string, Refund>();
  const sentEvents: SentEvent[] = [];
  const idempotent = new Map<string, SavedResponse>();
  let baseUrl = '';
  const publicBase = () => (opts.publicBaseUrl ?? baseUrl).replace(/\/$/, '');
  const endpoint = typeof opts.webhookUrl === 'function' ? opts.webhookUrl : () => opts.webhookUrl as string;
  const now = () => Math.floor(Date.now() / 1000);
  const webhookEndpoints = new StripeWebhookEndpoints(endpoint);

  const outbox = new WebhookOutbox({
    faults,
    endpoint: () => webhookEndpoints.appUrl(),
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [500, 2_000, 8_000, 30_000],
    reorderHoldMs: opts.reorderHoldMs ?? 1_000,
    // Stripe signs each attempt afresh, so a retry carries a new timestamp and passes the receiver's tolerance check.
    headers: (payload) => ({
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'stripe-signature': signStripePayload(payload, opts.webhookSecret),
    }),
    onAttempt: (eventId, attempt) => sentEvents.find((e) => e.event.id === eventId)?.attempts.push(attempt),
  });

  function emit(type: string, object: object, request: StripeEvent['request'] = { id: null, idempotency_key: null }): StripeEvent {
    const event: StripeEvent = {
      id: randomId('evt_', 24),
      object: 'event',
      api_version: API_VERSION,
      created: now(),
      // a snapshot: later changes to the object must not leak into an event already sent
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request,
      type,
    };
    sentEvents.push({ event, attempts: [] });
    // an event no enabled endpoint takes is created (GET /v1/events shows it) and sent nowhere
    if (!webhookEndpoints.deliveryUrl(type)) return event;
    // Stripe sends pretty-printed JSON; receivers that re-serialize instead of verifying the raw body fail, as they would in production.
    outbox.send(event.id, JSON.stringify(event, null, 2));
    return event;
  }

  // ---- Checkout Sessions -------------------------------------------------------------------

  function createSession(p: Params): CheckoutSession {
    for (const key of Object.keys(p)) {
      if (!SESSION_PARAMS.has(key)) throw invalid(`Received unknown parameter: ${key}`, 'parameter_unknown', key);
    }
    if (p.mode === undefined) throw missingParam('mode');
    if (p.mode !== 'payment') throw invalid('The sandbox only models mode=payment.', 'parameter_invalid_string', 'mode');
    if (typeof p.success_url !== 'string' || !p.success_url) throw missingParam('success_url');
    if (!Array.isArray(p.line_items) || p.line_items.length === 0) throw missingParam('line_items');

    let currency = '';
    let total = 0;
    const names: string[] = [];
    p.line_items.forEach((raw, i) => {
      const item = (raw ?? {}) as Params;
      const prefix = `line_items[${i}]`;
      if (typeof item.price === 'string') throw invalid(`No such price: '${item.price}'`, 'resource_missing', `${prefix}[price]`);
      const priceData = item.price_data as Params | undefined;
      if (!priceData) throw invalid(`You must specify either \`price\` or \`price_data\` in ${prefix}.`, 'parameter_missing', `${prefix}[price_data]`);
      const itemCurrency = String(priceData.currency ?? '').toLowerCase();
      if (!/^[a-z]{3}$/.test(itemCurrency)) throw missingParam(`${prefix}[price_data][currency]`);
      if (currency && currency !== itemCurrency) {
        throw invalid('All line items must use the same currency.', 'parameter_invalid_string', `${prefix}[price_data][currency]`);
      }
      currency = itemCurrency;
      const unitAmount = integerParam(priceData.unit_amount, `${prefix}[price_data][unit_amount]`, 0);
      const name = (priceData.product_data as Params | undefined)?.name;
      if (typeof name !== 'string' || !name.trim()) throw missingParam(`${prefix}[price_data][product_data][name]`);
      const quantity = integerParam(item.quantity, `${prefix}[quantity]`, 1);
      total += unitAmount * quantity;
      names.push(quantity > 1 ? `${name} × ${quantity}` : name);
    });

    const created = now();
    const expiresAt = sessionExpiry(p.expires_at, created);
    const metadata = stringRecord(p.metadata, 'metadata');
    const id = randomId('cs_test_', 58);
    const session: CheckoutSession = {
      id,
      object: 'checkout.session',
      after_expiration: null,
      allow_promotion_codes: null,
      amount_subtotal: total,
      amount_total: total,
      automatic_tax: { enabled: false, liability: null, status: null },
      billing_address_collection: null,
      cancel_url: typeof p.cancel_url === 'string' && p.cancel_url ? p.cancel_url : null,
      client_reference_id: typeof p.client_reference_id === 'string' ? p.client_reference_id : null,
      client_secret: null,
      created,
      currency,
      customer: null,
      customer_creation: 'if_required',
      customer_details: null,
      customer_email: typeof p.customer_email === 'string' ? p.customer_email : null,
      expires_at: expiresAt,
      invoice: null,
      livemode: false,
      locale: typeof p.locale === 'string' ? p.locale : null,
      metadata,
      mode: 'payment',
      payment_intent: null,
      payment_link: null,
      payment_method_collection: 'if_required',
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      recovered_from: null,
      setup_intent: null,
      status: 'open',
      submit_type: null,
      subscription: null,
      success_url: p.success_url,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: 'hosted',
      url: `${publicBase()}/c/pay/${id}`,
    };
    const paymentIntentMetadata = stringRecord((p.payment_intent_data as Params | undefined)?.metadata, 'payment_intent_data[metadata]');
    sessions.set(id, { session, productName: names.join(', '), paymentIntentMetadata });
    scheduleExpiry(id);
    return session;
  }

  /** Real sessions last 30 minutes to 24 hours (24 h when expires_at is omitted); the sandbox TTL overrides that window. */
  function sessionExpiry(raw: unknown, created: number): number {
    const requested = raw === undefined ? undefined : integerParam(raw, 'expires_at', 0);
    if (opts.checkoutTtlSeconds !== undefined) return Math.min(requested ?? Infinity, created + opts.checkoutTtlSeconds);
    if (requested === undefined) return created + DAY_SECONDS;
    if (requested < created + MIN_EXPIRY_SECONDS - EXPIRY_SLACK_SECONDS) {
      throw invalid('The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', 'parameter_invalid_integer', 'expires_at');
    }
    if (requested > created + DAY_SECONDS + EXPIRY_SLACK_SECONDS) {
      throw invalid('The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', 'parameter_invalid_integer', 'expires_at');
    }
    return requested;
  }

  function scheduleExpiry(id: string): void {
    const record = sessions.get(id)!;
    const ms = Math.max(0, record.session.expires_at * 1000 - Date.now());
    record.expiryTimer = setTimeout(() => expireIfDue(id), Math.min(ms, 2 ** 31 - 1));
    record.expiryTimer.unref();
  }

  /** Expiry happens on the timer, but every read checks too so the API never shows an open session past its expires_at. */
  function expireIfDue(id: string): void {
    const record = sessions.get(id);
    if (record?.session.status !== 'open') return;
    if (record.session.expires_at * 1000 > Date.now()) {
      if (!record.expiryTimer) scheduleExpiry(id);
      return;
    }
    expireSession(id);
  }

  function expireSession(id: string, request?: StripeEvent['request']): CheckoutSession {
    const record = sessions.get(id)!;
    clearTimeout(record.expiryTimer);
    record.session.status = 'expired';
    record.session.url = null;
    emit('checkout.session.expired', record.session, request);
    return record.session;
  }

  function findSession(id: string): CheckoutSession {
    expireIfDue(id);
    const record = sessions.get(id);
    if (!record)
      throw new StripeApiError(404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such checkout.session: '${id}'`,
        param: 'session',
      });
    return record.session;
  }

  function paySession(id: string, email?: string): CheckoutSession {
    const session = findSession(id);
    if (session.status === 'complete') return session;
    if (session.status === 'expired') {
      throw invalid('This Checkout Session is no longer active.', 'checkout_session_expired', undefined, true);
    }
    const pi: PaymentIntentRecord = {
      id: randomId('pi_', 24),
      chargeId: randomId('ch_', 24),
      amount: session.amount_total,
      currency: session.currency,
      amountRefunded: 0,
      metadata: sessions.get(id)!.paymentIntentMetadata,
      created: now(),
    };
    paymentIntents.set(pi.id, pi);
    clearTimeout(sessions.get(id)!.expiryTimer);
    session.status = 'complete';
    session.payment_status = 'paid';
    session.payment_intent = pi.id;
    session.url = null;
    session.customer_details = {
      email: session.customer_email ?? email ?? 'customer@sandbox.example',
      name: null,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    };
    emit('checkout.session.completed', session);
    return session;
  }

  // ---- Payment intents, charges, refunds ---------------------------------------------------

  const paymentIntentObject = (pi: PaymentIntentRecord) => ({
    id: pi.id,
    object: 'payment_intent',
    amount: pi.amount,
    amount_received: pi.amount,
    capture_method: 'automatic_async',
    created: pi.created,
    currency: pi.currency,
    latest_charge: pi.chargeId,
    livemode: false,
    metadata: pi.metadata,
    payment_method_types: ['card'],
    status: 'succeeded',
  });

  const chargeObject = (pi: PaymentIntentRecord) => ({
    id: pi.chargeId,
    object: 'charge',
    amount: pi.amount,
    amount_captured: pi.amount,
    amount_refunded: pi.amountRefunded,
    captured: true,
    created: pi.created,
    currency: pi.currency,
    livemode: false,
    metadata: pi.metadata,
    paid: true,
    payment_intent: pi.id,
    refunded: pi.amountRefunded === pi.amount,
    status: 'succeeded',
  });

  function createRefund(p: Params, request: StripeEvent['request']): Refund {
    for (const key of Object.keys(p)) {
      if (!REFUND_PARAMS.has(key)) throw invalid(`Received unknown parameter: ${key}`, 'parameter_unknown', key);
    }
    let pi: PaymentIntentRecord | undefined;
    if (typeof p.payment_intent === 'string') {
      pi = paymentIntents.get(p.payment_intent);
      if (!pi) throw invalid(`No such payment_intent: '${p.payment_intent}'`, 'resource_missing', 'payment_intent');
    } else if (typeof p.charge === 'string') {
      pi = [...paymentIntents.values()].find((x) => x.chargeId === p.charge);
      if (!pi) throw invalid(`No such charge: '${p.charge}'`, 'resource_missing', 'charge');
    } else {
      throw invalid('One of the following params should be provided for this request: payment_intent or charge.', 'parameter_missing', 'payment_intent');
    }
    if (p.reason !== undefined && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(String(p.reason))) {
      throw invalid('Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer', 'parameter_invalid_string', 'reason');
    }
    const remaining = pi.amount - pi.amountRefunded;
    if (remaining === 0) throw invalid(`Charge ${pi.chargeId} has already been refunded.`, 'charge_already_refunded', undefined, true);
    const amount = p.amount === undefined ? remaining : integerParam(p.amount, 'amount', 1);
    if (amount > remaining) {
      throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, 'amount_too_large', 'amount', true);
    }
    pi.amountRefunded += amount;
    const refund: Refund = {
      id: randomId('re_', 24),
      object: 'refund',
      amount,
      balance_transaction: randomId('txn_', 24),
      charge: pi.chargeId,
      created: now(),
      currency: pi.currency,
      metadata: stringRecord(p.metadata, 'metadata'),
      payment_intent: pi.id,
      reason: typeof p.reason === 'string' ? p.reason : null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    refunds.set(refund.id, refund);
    emit('charge.refunded', chargeObject(pi), request);
    return refund;
  }

  // ---- The API -----------------------------------------------------------------------------

  function route(method: string, path: string, params: Params, request: StripeEvent['request']): { status: number; body: unknown } {
    let m: RegExpMatchArray | null;
    if (method === 'POST' && path === '/v1/checkout/sessions') return { status: 200, body: createSession(params) };
    if (method === 'GET' && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) return { status: 200, body: findSession(m[1]) };
    if (method === 'POST' && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/))) {
      const session = findSession(m[1]);
      if (session.status !== 'open') {
        throw invalid(
          `Only Checkout Sessions with a status in ["open"] can be expired. This session has status "${session.status}".`,
          undefined,
          undefined,
          true,
        );
      }
      return { status: 200, body: expireSession(m[1], request) };
    }
    if (method === 'POST' && path === '/v1/refunds') return { status: 200, body: createRefund(params, request) };
    if (method === 'GET' && (m = path.match(/^\/v1\/refunds\/([^/]+)$/))) {
      const refund = refunds.get(m[1]);
      if (!refund)
        throw new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such refund: '${m[1]}'`, param: 'id' });
      return { status: 200, body: refund };
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/payment_intents\/([^/]+)$/))) {
      const pi = paymentIntents.get(m[1]);
      if (!pi)
        throw new StripeApiError(404, {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such payment_intent: '${m[1]}'`,
          param: 'intent',
        });
      return { status: 200, body: paymentIntentObject(pi) };
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/events\/([^/]+)$/))) {
      const sent = sentEvents.find((e) => e.event.id === m![1]);
      if (!sent) throw new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such event: '${m[1]}'`, param: 'id' });
      return { status: 200, body: sent.event };
    }
    const endpoints = webhookEndpoints.route(method, path, params);
    if (endpoints) return endpoints;
    throw new StripeApiError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    });
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const answerServerError = (r: ServerResponse) =>
      sendJson(r, 500, { error: { type: 'api_error', message: 'Sandbox: injected server error. Please retry.' } });
    if (!(await faults.apply(req, res, answerServerError))) return;
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const requestId = randomId('req_', 14);
    const key = header(req, 'idempotency-key');
    const headers: Record<string, string> = { 'request-id': requestId, 'stripe-version': header(req, 'stripe-version') ?? API_VERSION };
    if (key) headers['idempotency-key'] = key;

    if (!authorized(req.headers.authorization, opts.secretKey) || opts.faults.faults.revokedCredentials) {
      const given = redactKey((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
      // a rolled (revoked) key answers api_key_expired, as Stripe does once a key is rolled; an unknown one, no code
      const error = !req.headers.authorization
        ? {
            type: 'invalid_request_error',
            message:
              "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
          }
        : opts.faults.faults.revokedCredentials
          ? {
              type: 'invalid_request_error',
              code: 'api_key_expired',
              doc_url: 'https://stripe.com/docs/error-codes/api-key-expired',
              message: `Expired API Key provided: ${given}`,
            }
          : { type: 'invalid_request_error', message: `Invalid API Key provided: ${given}` };
      return sendJson(res, 401, { error }, headers);
    }

    const params = method === 'POST' ? parseForm(raw) : parseForm(url.search.slice(1));
    const endpoint = `${method} ${url.pathname}`;
    // a checkout or a refund: the chaos run kills its caller here, or loses its answer once it is made
    const spends = SPENDING[endpoint];
    if (spends) await faults.spending('stripe', spends, req, res, answerServerError);
    const canonical = canonicalJson(params);
    if (method === 'POST' && key) {
      const saved = idempotent.get(key);
      if (saved && (saved.endpoint !== endpoint || saved.params !== canonical)) {
        const message =
          saved.endpoint !== endpoint
            ? `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${saved.endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`
            : `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;
        return sendJson(res, 400, { error: { type: 'idempotency_error', message } }, headers);
      }
      if (saved) {
        res.writeHead(saved.status, { 'content-type': 'application/json', ...headers, 'idempotent-replayed': 'true' });
        res.end(saved.body);
        return;
      }
    }

    let status: number;
    let body: string;
    let save: boolean;
    try {
      const result = route(method, url.pathname, params, { id: requestId, idempotency_key: key ?? null });
      status = result.status;
      body = JSON.stringify(result.body, null, 2);
      save = true;
    } catch (err) {
      if (!(err instanceof StripeApiError)) throw err;
      status = err.status;
      const code = err.body.code;
      body = JSON.stringify(
        { error: { ...err.body, ...(code ? { doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` } : {}) } },
        null,
        2,
      );
      save = err.saved;
    }
    if (method === 'POST' && key && save) idempotent.set(key, { endpoint, params: canonical, status, body, at: Date.now() });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  }

  // ---- The hosted payment page -------------------------------------------------------------

  function hostedPage(req: IncomingMessage, res: ServerResponse, id: string, action: 'view' | 'pay', form: URLSearchParams) {
    let session: CheckoutSession;
    try {
      session = findSession(id);
    } catch {
      return sendHtml(res, 404, page('en', 'Not found', `<h1>${t('en').notFound}</h1>`));
    }
    const record = sessions.get(id)!;
    const lang = pageLocale(session.locale, req.headers['accept-language']);
    const text = t(lang);
    const amount = formatAmount(session.amount_total, session.currency, lang);

    if (session.status === 'expired') {
      // a refused payment answers 410 so scripts notice; a plain visit is an ordinary page
      return sendHtml(res, action === 'pay' ? 410 : 200, page(lang, text.expiredTitle, `<h1>${text.expiredTitle}</h1><p>${text.expiredBody}</p>`));
    }
    if (session.status === 'complete') {
      return sendHtml(
        res,
        200,
        page(lang, text.paidTitle, `<h1>${text.paidTitle}</h1><p><a class="button" href="${esc(successUrl(session))}">${text.back}</a></p>`),
      );
    }
    let declined = false;
    if (action === 'pay') {
      const card = (form.get('card_number') ?? '').replace(/\D/g, '');
      if (card === DECLINED_CARD) declined = true;
      else {
        paySession(id, form.get('email') ?? undefined);
        res.writeHead(303, { location: successUrl(session) });
        res.end();
        return;
      }
    }
    const body = `
      <p class="badge">${text.testMode}</p>
      <p class="muted">${esc(record.productName)}</p>
      <p class="amount">${esc(amount)}</p>
      ${declined ? `<p class="error" role="alert">${text.declined}</p>` : ''}
      <form method="post" action="/c/pay/${esc(id)}/pay">
        <label>${text.email}<input name="email" type="email" value="${esc(session.customer_email ?? '')}" ${session.customer_email ? 'readonly' : ''}></label>
        <label>${text.card}<input name="card_number" inputmode="numeric" autocomplete="cc-number" value="${TEST_CARD}"></label>
        <p class="hint">${text.testCardHint}</p>
        <button type="submit">${text.pay(amount)}</button>
      </form>
      ${session.cancel_url ? `<p><a href="${esc(session.cancel_url)}">${text.cancel}</a></p>` : ''}`;
    sendHtml(res, declined ? 402 : 200, page(lang, text.title, body));
  }

  // ---- Sandbox controls --------------------------------------------------------------------

  async function sandboxControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    let m: RegExpMatchArray | null;
    if (req.method === 'POST' && (m = path.match(/^\/__sandbox\/checkout\/([^/]+)\/pay$/))) {
      const raw = await readBody(req);
      let email: string | undefined;
      try {
        email = raw ? (JSON.parse(raw) as { email?: string }).email : undefined;
      } catch {
        return sendJson(res, 400, { error: { type: 'invalid_request_error', message: 'Body must be JSON.' } });
      }
      try {
        const session = paySession(m[1], email);
        return sendJson(res, 200, { session, redirect_url: successUrl(session) });
      } catch (err) {
        if (err instanceof StripeApiError) return sendJson(res, err.body.code === 'checkout_session_expired' ? 410 : err.status, { error: err.body });
        throw err;
      }
    }
    if (req.method === 'GET' && path === '/__sandbox/events') return sendJson(res, 200, { data: sentEvents });
    sendJson(res, 404, { error: { type: 'invalid_request_error', message: `Unknown sandbox control ${req.method} ${path}` } });
  }

  // ---- The server --------------------------------------------------------------------------

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    const done = (async () => {
      if (path.startsWith('/v1/')) return api(req, res, url);
      if (path.startsWith('/__sandbox/')) return sandboxControl(req, res, path);
      const m = path.match(/^\/c\/pay\/([^/]+)(\/pay)?$/);
      if (m && req.method === 'GET' && !m[2]) return hostedPage(req, res, m[1], 'view', new URLSearchParams());
      if (m && req.method === 'POST' && m[2]) return hostedPage(req, res, m[1], 'pay', new URLSearchParams(await readBody(req)));
      sendHtml(res, 404, page('en', 'Not found', `<h1>${t('en').notFound}</h1>`));
    })();
    done.catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { type: 'api_error', message: `Sandbox failure: ${String(err)}` } });
      else res.destroy();
    });
  });

  // Idempotency keys are kept 24 hours, as Stripe does.
  const pruneTimer = setInterval(
    () => {
      const cutoff = Date.now() - DAY_SECONDS * 1000;
      for (const [k, v] of idempotent) if (v.at < cutoff) idempotent.delete(k);
    },
    60 * 60 * 1000,
  );
  pruneTimer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    name: 'stripe',
    url: baseUrl,
    faults,
    sessions: () => [...sessions.keys()].map((id) => findSession(id)),
    events: () => sentEvents,
    pay: (sessionId, email) => {
      try {
        return paySession(sessionId, email);
      } catch (err) {
        if (err instanceof StripeApiError) throw new Error(`stripe sandbox: ${err.body.message}`);
        throw err;
      }
    },
    sendEvent: (type, object) => emit(type, object),
    webhooksIdle: () => outbox.idle(),
    webhookEndpoints,
    close: async () => {
      clearInterval(pruneTimer);
      for (const record of sessions.values()) clearTimeout(record.expiryTimer);
      outbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---- Signing -------------------------------------------------------------------------------

/** `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the whsec_ secret>` */
export function signStripePayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

// ---- Helpers -------------------------------------------------------------------------------

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Stripe takes the key as a Bearer token or as the user of HTTP Basic auth (`curl -u sk_test_...:`). */
function authorized(authorization: string | undefined, secretKey: string): boolean {
  if (!authorization) return false;
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization);
  if (bearer) return bearer[1].trim() === secretKey;
  const basic = /^Basic\s+(.+)$/i.exec(authorization);
  if (basic) return Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0] === secretKey;
  return false;
}

function redactKey(key: string): string {
  return key.length > 8 ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '****';
}

function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Stripe's form encoding: `line_items[0][price_data][currency]=eur` becomes `{line_items: [{price_data: {currency: 'eur'}}]}`. */
export function parseForm(body: string): Params {
  const root: Params = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Params;
    });
  }
  return arraysFromIndices(root) as Params;
}

function arraysFromIndices(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Params).map(([k, v]) => [k, arraysFromIndices(v)] as const);
  if (entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

function integerParam(raw: unknown, param: string, min: number): number {
  if (raw === undefined || raw === '') throw missingParam(param);
  const n = Number(raw);
  if (!/^-?\d+$/.test(String(raw)) || !Number.isSafeInteger(n)) {
    throw invalid(`Invalid integer: ${String(raw)}`, 'parameter_invalid_integer', param);
  }
  if (n < min) throw invalid(`This value must be greater than or equal to ${min}.`, 'parameter_invalid_integer', param);
  return n;
}

function stringRecord(raw: unknown, param: string): Record<string, string> {
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(`Invalid object`, 'parameter_invalid_string', param);
  const entries = Object.entries(raw as Params);
  if (entries.length > 50) throw invalid('Metadata can have at most 50 keys.', 'parameter_invalid_string', param);
  return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
}

/** The calls that charge or refund (a Checkout Session is where a charge starts), by endpoint. */
const SPENDING: Record<string, string> = { 'POST /v1/checkout/sessions': 'checkout.sessions.create', 'POST /v1/refunds': 'refunds.create' };

/** Key order must not matter when comparing an idempotent retry with the first request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Params)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body, null, 2));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function successUrl(session: CheckoutSession): string {
  return session.success_url.replace(/\{CHECKOUT_SESSION_ID\}/g, session.id);
}

// ---- Page text and layout -----------------------------------------------------------------

type Lang = 'fr' | 'en';

function pageLocale(locale: string | null, acceptLanguage: string | undefined): Lang {
  if (locale && locale !== 'auto') return locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
  return acceptLanguage?.trim().toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function t(lang: Lang) {
  return lang === 'fr'
    ? {
        title: 'Paiement',
        testMode: 'Mode test',
        email: 'E-mail',
        card: 'Numéro de carte',
        testCardHint: `Carte de test : ${TEST_CARD}, date d’expiration future et CVC quelconques.`,
        pay: (amount: string) => `Payer ${amount}`,
        cancel: 'Annuler et revenir au site',
        declined: 'Votre carte a été refusée. Essayez une autre carte.',
        expiredTitle: 'Cette session de paiement a expiré',
        expiredBody: 'Revenez sur le site du marchand pour obtenir un nouveau lien de paiement.',
        paidTitle: 'Ce paiement est déjà effectué',
        back: 'Revenir au site',
        notFound: 'Session de paiement introuvable',
      }
    : {
        title: 'Checkout',
        testMode: 'Test mode',
        email: 'Email',
        card: 'Card number',
        testCardHint: `Test card: ${TEST_CARD}, any future expiry date and any CVC.`,
        pay: (amount: string) => `Pay ${amount}`,
        cancel: 'Cancel and return to the site',
        declined: 'Your card was declined. Try another card.',
        expiredTitle: 'This checkout session has expired',
        expiredBody: 'Return to the merchant’s site to get a new payment link.',
        paidTitle: 'This payment is already complete',
        back: 'Return to the site',
        notFound: 'Checkout session not found',
      };
}

/** Minor units come from Intl, so JPY shows no decimals and EUR shows two, as on the real page. */
function formatAmount(minorUnits: number, currency: string, lang: Lang): string {
  const format = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-US', { style: 'currency', currency: currency.toUpperCase() });
  return format.format(minorUnits / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Stripe sandbox</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: #f6f9fc; color: #1a1f36; }
  main { max-width: 26rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 2px 12px rgba(50,50,93,.12); }
  h1 { font-size: 1.25rem; margin: 0 0 1rem; }
  .badge { display: inline-block; margin: 0 0 1rem; padding: .1rem .5rem; border-radius: 4px; background: #ffde92; color: #8a5a00; font-size: .75rem; font-weight: 600; text-transform: uppercase; }
  .muted { color: #697386; margin: 0; }
  .amount { font-size: 2rem; font-weight: 600; margin: .25rem 0 1.5rem; }
  label { display: block; font-size: .875rem; color: #3c4257; margin-bottom: 1rem; }
  input { display: block; box-sizing: border-box; width: 100%; margin-top: .25rem; padding: .6rem .75rem; border: 1px solid #d5dbe1; border-radius: 6px; font: inherit; }
  .hint { font-size: .8rem; color: #697386; margin-top: -.5rem; }
  button, .button { display: block; box-sizing: border-box; width: 100%; padding: .75rem; border: 0; border-radius: 6px; background: #635bff; color: #fff; font: inherit; font-weight: 600; text-align: center; text-decoration: none; cursor: pointer; }
  .error { color: #df1b41; }
  a { color: #635bff; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}
