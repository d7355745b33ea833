// The Stripe API the sandbox answers, route by route in the order of docs.stripe.com/api. What every route shares
// (form-encoded parameters, the secret key, Idempotency-Key replays, error bodies) is requests.ts; the account's
// objects and their invariants are state.ts.
import { Router } from '../http/router.ts';
import { StripeApiError, integerParam, invalid, missingParam, noSuch, stringRecord, unknownParams, type Params } from './api.ts';
import { amountProblem } from './currencies.ts';
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
/** the sandbox accepts expires_at a little short of 30 minutes; past 24 hours it refuses even by a second */
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
  'allowed_payment_method_types',
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
      // Retrieve a Checkout Session (docs.stripe.com/api/checkout/sessions/retrieve); expand[]=payment_intent puts the
      // PaymentIntent object in place of its id (docs.stripe.com/api/expanding_objects)
      .add('GET', '/v1/checkout/sessions/{id}', {
        run: ({ params, body }) => {
          const session = account.session(params.id);
          const expand = Array.isArray(body.expand) ? body.expand.map(String) : [];
          const pi = expand.includes('payment_intent') && session.payment_intent ? account.paymentIntent(session.payment_intent) : undefined;
          return pi ? { ...session, payment_intent: paymentIntentObject(pi) } : session;
        },
      })
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
      .add('POST', '/v1/refunds', {
        spends: 'refunds.create',
        // every refund request that reaches the charge, done or refused, in the account's books (the key's replays do not)
        run: ({ body, request }) =>
          account.ledger.track({ operation: 'refunds.create', target: refundTarget(account, body), key: request.idempotency_key }, stripeCode, () =>
            createRefund(account, body, request),
          ),
      })
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

  // a payment-mode session charges its total through a PaymentIntent: the same least and most amounts apply
  const problem = amountProblem(total, currency);
  if (problem) throw invalid(problem.message, problem.code, 'line_items');
  const created = now();
  const expiresAt = sessionExpiry(p.expires_at, created, checkoutTtlSeconds);
  const methods = paymentMethodTypes(p, currency);
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
      payment_method_types: methods,
      success_url: p.success_url,
    },
    productName: names.join(', '),
    paymentIntentMetadata: stringRecord((p.payment_intent_data as Params | undefined)?.metadata, 'payment_intent_data[metadata]'),
    setupFutureUsage: setupFutureUsage(p),
  };
}

/**
 * The sandbox account has card and SEPA Debit enabled. A session that names no types offers what the account enables
 * and the currency allows ("dynamic payment methods", docs.stripe.com/payments/payment-methods/dynamic-payment-methods),
 * so SEPA Debit appears on a euro session. `allowed_payment_method_types` (the SDK's SessionCreateParams: "a filter on
 * the dynamically computed set of eligible payment methods") keeps only those it lists; the older
 * `payment_method_types` is an explicit list. Either must hold known types, and SEPA Debit takes only `eur`
 * ("Supported currencies: eur", docs.stripe.com/payments/sepa-debit/accept-a-payment).
 */
function paymentMethodTypes(p: Params, currency: string): string[] {
  const eligible = (type: string) => type !== 'sepa_debit' || currency === 'eur';
  const field = p.allowed_payment_method_types !== undefined ? 'allowed_payment_method_types' : 'payment_method_types';
  const raw = p[field];
  if (raw === undefined) return ACCOUNT_METHODS.filter(eligible);
  const list = Array.isArray(raw) ? raw.map(String) : [String(raw)];
  list.forEach((type, i) => {
    if (!KNOWN_METHODS.has(type)) {
      throw invalid(`Invalid ${field}[${i}]: must be one of ${[...KNOWN_METHODS].join(', ')}`, 'parameter_invalid_string', `${field}[${i}]`);
    }
  });
  const offered = field === 'allowed_payment_method_types' ? ACCOUNT_METHODS.filter((m) => list.includes(m)) : [...new Set(list)];
  const bad = offered.find((m) => !eligible(m));
  if (bad && field === 'payment_method_types') {
    throw invalid(`The payment method \`${bad}\` does not support the currency \`${currency}\`.`, 'payment_method_currency_mismatch', field);
  }
  const usable = offered.filter(eligible);
  if (usable.length === 0) throw invalid(`None of the ${field} can be used with this Checkout Session.`, 'payment_method_unactivated', field);
  return usable;
}

/** What the sandbox account has enabled in its Dashboard. */
const ACCOUNT_METHODS = ['card', 'sepa_debit'];

/** Payment method types the sandbox knows (a subset of the API's enum for payment_method_types). */
const KNOWN_METHODS = new Set(['card', 'sepa_debit', 'bancontact', 'ideal', 'eps', 'p24', 'bacs_debit', 'us_bank_account', 'link', 'paypal']);

/** Real sessions last 30 minutes to 24 hours (24 h when expires_at is omitted); the sandbox TTL overrides that window. */
function sessionExpiry(raw: unknown, created: number, ttlSeconds: number | undefined): number {
  const requested = raw === undefined ? undefined : integerParam(raw, 'expires_at', 0);
  if (ttlSeconds !== undefined) return Math.min(requested ?? Infinity, created + ttlSeconds);
  if (requested === undefined) return created + DAY_SECONDS;
  if (requested < created + MIN_EXPIRY_SECONDS - EXPIRY_SLACK_SECONDS) {
    throw invalid('The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', 'parameter_invalid_integer', 'expires_at');
  }
  if (requested > created + DAY_SECONDS) {
    throw invalid('The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', 'parameter_invalid_integer', 'expires_at');
  }
  return requested;
}

/** The payment a refund request names: its payment_intent, or the one behind its charge. */
function refundTarget(account: StripeAccount, p: Params): string {
  if (typeof p.payment_intent === 'string') return p.payment_intent;
  if (typeof p.charge === 'string') return account.paymentIntentOfCharge(p.charge)?.id ?? p.charge;
  return '';
}

const stripeCode = (err: unknown) => (err instanceof StripeApiError ? (err.body.code ?? err.body.type) : undefined);

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
  // a payment still processing (or failed) has no successful charge to refund
  if (pi.status !== 'succeeded')
    throw invalid(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, 'charge_not_refundable', undefined, true);
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

/**
 * What a payment of the session saves: payment_method_options[card][setup_future_usage] ("on_session", "off_session"
 * or "none") applies to card payments alone and wins over payment_intent_data[setup_future_usage] ("on_session" or
 * "off_session"), which applies to every method, SEPA Debit included (docs.stripe.com/api/checkout/sessions/create; the
 * SDK's SessionCreateParams.PaymentMethodOptions.Card.SetupFutureUsage).
 */
function setupFutureUsage(p: Params): SessionInput['setupFutureUsage'] {
  const card = ((p.payment_method_options as Params | undefined)?.card as Params | undefined)?.setup_future_usage;
  const forCard = usage(card, 'payment_method_options[card][setup_future_usage]', ['on_session', 'off_session', 'none']);
  const forAll = usage((p.payment_intent_data as Params | undefined)?.setup_future_usage, 'payment_intent_data[setup_future_usage]', [
    'on_session',
    'off_session',
  ]);
  const some = (u: typeof forAll) => (u === 'none' ? undefined : u);
  return { card: forCard !== undefined ? some(forCard) : some(forAll), other: some(forAll) };
}

function usage(raw: unknown, param: string, allowed: string[]): 'on_session' | 'off_session' | 'none' | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string' && allowed.includes(raw)) return raw as 'on_session' | 'off_session' | 'none';
  throw invalid(`Invalid ${param}: must be one of ${allowed.join(', ')}`, 'parameter_invalid_string', param);
}
