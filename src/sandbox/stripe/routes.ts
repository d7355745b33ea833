// The Stripe API the sandbox answers, route by route in the order of docs.stripe.com/api. What every route shares
// (form-encoded parameters, the secret key, Idempotency-Key replays, error bodies) is requests.ts; the account's
// objects and their invariants are state.ts.
import { Router } from '../http/router.ts';
import { type StripeApiError, integerParam, invalid, missingParam, noSuch, stringRecord, unknownParams, type Params } from './api.ts';
import { paymentIntentObject } from './objects.ts';
import type { EventRequest, SessionInput, StripeAccount } from './state.ts';
import { now } from './state.ts';
import type { StripeWebhookEndpoints } from './webhook-endpoints.ts';
import { vaultRoutes } from './vault.ts';

export interface StripeCall {
  /** the path's {parameters} */
  params: Record<string, string>;
  /** the form body (POST) or the query (GET), nested */
  body: Params;
  /** the request id and idempotency key an event this call causes carries */
  request: EventRequest;
}

export interface StripeRoute {
  /** set on calls that charge or refund: faults may stop their caller there, or lose their answer once made */
  spends?: string;
  /** the answer's body (always HTTP 200); a refusal is a thrown StripeApiError */
  run(call: StripeCall): unknown;
}

const DAY_SECONDS = 24 * 3600;
/** "The value must be between 30 minutes and 24 hours after the current time" (docs.stripe.com/payments/checkout/managing-limited-inventory) */
const MIN_EXPIRY_SECONDS = 30 * 60;
/** the real API accepts expires_at a little short of 30 minutes because the caller's clock and ours differ */
const EXPIRY_SLACK_SECONDS = 60;

/** Parameters of POST /v1/checkout/sessions the API knows (docs.stripe.com/api/checkout/sessions/create); the sandbox models some and accepts the rest. */
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
/** Parameters of POST /v1/refunds (docs.stripe.com/api/refunds/create). */
const REFUND_PARAMS = new Set(['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand', 'instructions_email']);
/** refund `reason`: "one of duplicate, fraudulent, or requested_by_customer" (docs.stripe.com/api/refunds/create) */
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];

export function stripeRoutes(account: StripeAccount, endpoints: StripeWebhookEndpoints, checkoutTtlSeconds?: number): Router<StripeRoute> {
  return vaultRoutes(
    new Router<StripeRoute>()
      // Create a Checkout Session (docs.stripe.com/api/checkout/sessions/create)
      .add('POST', '/v1/checkout/sessions', {
        spends: 'checkout.sessions.create',
        run: ({ body }) => account.createSession(sessionInput(body, checkoutTtlSeconds)),
      })
      // Retrieve a Checkout Session (docs.stripe.com/api/checkout/sessions/retrieve)
      .add('GET', '/v1/checkout/sessions/{id}', { run: ({ params }) => account.session(params.id) })
      // Expire a Checkout Session (docs.stripe.com/api/checkout/sessions/expire): "can be expired when it is in one of these statuses: open"
      .add('POST', '/v1/checkout/sessions/{id}/expire', {
        run: ({ params, request }) => {
          const session = account.session(params.id);
          if (session.status !== 'open') {
            const message = `Only Checkout Sessions with a status in ["open"] can be expired. This session has status "${session.status}".`;
            throw invalid(message, undefined, undefined, true);
          }
          return account.expire(params.id, request);
        },
      })
      // Create a refund (docs.stripe.com/api/refunds/create)
      .add('POST', '/v1/refunds', { spends: 'refunds.create', run: ({ body, request }) => createRefund(account, body, request) })
      // Retrieve a refund (docs.stripe.com/api/refunds/retrieve)
      .add('GET', '/v1/refunds/{id}', { run: ({ params }) => account.refund(params.id) ?? raise(noSuch('refund', params.id)) })
      // Retrieve a PaymentIntent (docs.stripe.com/api/payment_intents/retrieve)
      .add('GET', '/v1/payment_intents/{id}', {
        run: ({ params }) => {
          const pi = account.paymentIntent(params.id);
          return pi ? paymentIntentObject(pi) : raise(noSuch('payment_intent', params.id, 'intent'));
        },
      })
      // Retrieve an event (docs.stripe.com/api/events/retrieve)
      .add('GET', '/v1/events/{id}', { run: ({ params }) => account.event(params.id) ?? raise(noSuch('event', params.id)) })
      // Webhook endpoints (docs.stripe.com/api/webhook_endpoints): list, create, retrieve, update, delete
      .add('GET', '/v1/webhook_endpoints', { run: ({ body }) => endpoints.list(body) })
      .add('POST', '/v1/webhook_endpoints', { run: ({ body }) => endpoints.create(body) })
      .add('GET', '/v1/webhook_endpoints/{id}', { run: ({ params }) => endpoints.retrieve(params.id) })
      .add('POST', '/v1/webhook_endpoints/{id}', { run: ({ params, body }) => endpoints.change(params.id, body) })
      .add('DELETE', '/v1/webhook_endpoints/{id}', { run: ({ params }) => endpoints.delete(params.id) }),
    account,
  );
}

function raise(err: StripeApiError): never {
  throw err;
}

/** What POST /v1/checkout/sessions checks, in the API's order; the sandbox models mode=payment with price_data line items. */
function sessionInput(p: Params, checkoutTtlSeconds: number | undefined): SessionInput {
  unknownParams(p, SESSION_PARAMS);
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
    // a `price` must name a Price of the account; the sandbox has none, so every price id is unknown
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
  const expiresAt = sessionExpiry(p.expires_at, created, checkoutTtlSeconds);
  const metadata = stringRecord(p.metadata, 'metadata');
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    fields: {
      amount_total: total,
      cancel_url: typeof p.cancel_url === 'string' && p.cancel_url ? p.cancel_url : null,
      client_reference_id: text(p.client_reference_id),
      created,
      currency,
      customer_email: text(p.customer_email),
      expires_at: expiresAt,
      locale: text(p.locale),
      metadata,
      success_url: p.success_url,
    },
    productName: names.join(', '),
    paymentIntentMetadata: stringRecord((p.payment_intent_data as Params | undefined)?.metadata, 'payment_intent_data[metadata]'),
    setupFutureUsage: setupFutureUsage((p.payment_intent_data as Params | undefined)?.setup_future_usage),
  };
}

/** Real sessions last 30 minutes to 24 hours (24 h when expires_at is omitted); the sandbox TTL overrides that window. */
function sessionExpiry(raw: unknown, created: number, ttlSeconds: number | undefined): number {
  const requested = raw === undefined ? undefined : integerParam(raw, 'expires_at', 0);
  if (ttlSeconds !== undefined) return Math.min(requested ?? Infinity, created + ttlSeconds);
  if (requested === undefined) return created + DAY_SECONDS;
  if (requested < created + MIN_EXPIRY_SECONDS - EXPIRY_SLACK_SECONDS) {
    throw invalid('The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', 'parameter_invalid_integer', 'expires_at');
  }
  if (requested > created + DAY_SECONDS + EXPIRY_SLACK_SECONDS) {
    throw invalid('The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', 'parameter_invalid_integer', 'expires_at');
  }
  return requested;
}

/** What POST /v1/refunds checks: a payment_intent or a charge, a known reason, and no more than what remains unrefunded. */
function createRefund(account: StripeAccount, p: Params, request: EventRequest) {
  unknownParams(p, REFUND_PARAMS);
  let pi;
  if (typeof p.payment_intent === 'string') {
    pi = account.paymentIntent(p.payment_intent);
    if (!pi) throw invalid(`No such payment_intent: '${p.payment_intent}'`, 'resource_missing', 'payment_intent');
  } else if (typeof p.charge === 'string') {
    pi = account.paymentIntentOfCharge(p.charge);
    if (!pi) throw invalid(`No such charge: '${p.charge}'`, 'resource_missing', 'charge');
  } else {
    throw invalid('One of the following params should be provided for this request: payment_intent or charge.', 'parameter_missing', 'payment_intent');
  }
  if (p.reason !== undefined && !REFUND_REASONS.includes(String(p.reason))) {
    throw invalid('Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer', 'parameter_invalid_string', 'reason');
  }
  // the error codes charge_already_refunded and amount_too_large (docs.stripe.com/error-codes); both are saved for replays
  const remaining = pi.amount - pi.amountRefunded;
  if (remaining === 0) throw invalid(`Charge ${pi.chargeId} has already been refunded.`, 'charge_already_refunded', undefined, true);
  const amount = p.amount === undefined ? remaining : integerParam(p.amount, 'amount', 1);
  if (amount > remaining) {
    throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, 'amount_too_large', 'amount', true);
  }
  const reason = typeof p.reason === 'string' ? p.reason : null;
  return account.createRefund(pi, amount, { metadata: stringRecord(p.metadata, 'metadata'), reason }, request);
}

/** payment_intent_data[setup_future_usage]: "on_session" or "off_session" (docs.stripe.com/api/checkout/sessions/create) */
function setupFutureUsage(raw: unknown): 'on_session' | 'off_session' | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'on_session' || raw === 'off_session') return raw;
  throw invalid(
    `Invalid payment_intent_data[setup_future_usage]: must be one of on_session or off_session`,
    'parameter_invalid_string',
    'payment_intent_data[setup_future_usage]',
  );
}
