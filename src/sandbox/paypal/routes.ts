// The PayPal REST API the sandbox answers, route by route with the operation it follows in PayPal's OpenAPI files
// (paypal/paypal-rest-api-specifications: checkout_orders_v2.json, payments_payment_v2.json,
// notifications_webhooks_v1.json; the vault's routes are vault.ts's, vault_payment_tokens_v3.json). What every call
// shares (the Bearer token, PayPal-Request-Id, Prefer, error bodies) is requests.ts; the account's orders, captures and
// refunds are state.ts.
import { Router } from '../http/router.ts';
import { PaypalApiError, invalidRequest, missing, syntax, unprocessable } from './api.ts';
import { toMinor, validMoney, type PaypalMoney } from './money.ts';
import type { PaypalOAuth } from './oauth.ts';
import type { PaypalOrder } from './objects.ts';
import type { OrderInput, PaypalAccount } from './state.ts';
import type { PaypalWebhooks } from './webhooks.ts';

export interface Answer {
  status: number;
  body: unknown;
}

export interface PaypalCall {
  /** the path's {parameters} */
  params: Record<string, string>;
  authorization: string | undefined;
  /** the body as sent */
  raw: string;
  query: URLSearchParams;
  /** the body as a JSON object ({} when blank); MALFORMED_REQUEST_JSON otherwise */
  json(): Record<string, unknown>;
  /** a JSON Patch array, or json() for anything else */
  jsonPatch(): unknown;
  /** `Prefer: return=minimal` (the default) or return=representation */
  show(order: PaypalOrder): object;
  minimal: boolean;
  /** Runs the creation once per PayPal-Request-Id: a repeat answers `latest()` of what the first made (requests.ts) */
  once(run: () => Answer & { latest: () => Answer }): Answer;
  /** the PayPal-Request-Id header, when sent */
  requestId: string | undefined;
}

export interface PaypalRoute {
  /** no Bearer token needed (the token endpoint itself) */
  public?: boolean;
  /** set on calls that charge or refund: faults may stop their caller there, or lose their answer once made */
  spends?: string;
  run(call: PaypalCall): Answer;
}

const ok = (body: unknown): Answer => ({ status: 200, body });

export function paypalRoutes(account: PaypalAccount, oauth: PaypalOAuth, webhooks: PaypalWebhooks, resend: (eventId: string) => void) {
  const router = account.vault.routes(new Router<PaypalRoute>(), (type, summary, resource) => account.emit(type, 'payment_token', summary, resource));
  return (
    router
      // Get an access token (developer.paypal.com/api/rest/authentication)
      .add('POST', '/v1/oauth2/token', { public: true, run: (c) => oauth.issue(c.authorization, c.raw) })
      // orders.create: POST /v2/checkout/orders → 201 (200 for a PayPal-Request-Id repeat)
      .add('POST', '/v2/checkout/orders', {
        spends: 'orders.create',
        run: (c) => {
          const body = c.json();
          return c.once(() => {
            const record = account.createOrder(orderInput(body, account));
            return { status: 201, body: c.show(record.order), latest: () => ok(c.show(record.order)) };
          });
        },
      })
      // orders.get
      .add('GET', '/v2/checkout/orders/{id}', { run: ({ params }) => ok(account.order(params.id).order) })
      // orders.capture: only an APPROVED order; once (intent CAPTURE allows one capture per order)
      .add('POST', '/v2/checkout/orders/{id}/capture', {
        spends: 'orders.capture',
        run: (c) => {
          const { id } = c.params;
          c.json();
          return c.once(() => {
            checkCapturable(account.order(id).order);
            const order = account.capture(id);
            return { status: 201, body: c.show(order), latest: () => ok(c.show(account.order(id).order)) };
          });
        },
      })
      // captures.get
      .add('GET', '/v2/payments/captures/{id}', {
        run: ({ params }) => {
          const record = account.captureRecord(params.id);
          return ok({ ...record.capture, supplementary_data: { related_ids: { order_id: record.orderId } } });
        },
      })
      // captures.refund: the whole unrefunded amount, or `amount` in the capture's currency and no more than remains
      .add('POST', '/v2/payments/captures/{id}/refund', {
        spends: 'captures.refund',
        run: (c) => {
          const body = c.json();
          return c.once(() => {
            // every refund request that reaches the capture, done or refused, in the account's books (a repeated
            // PayPal-Request-Id answered from memory does not reach it)
            const refund = account.ledger.track({ operation: 'captures.refund', target: c.params.id, key: c.requestId }, paypalCode, () =>
              account.createRefund(c.params.id, refundAmount(account, c.params.id, body)),
            );
            const view = () => (c.minimal ? { id: refund.id, status: refund.status, links: refund.links } : refund);
            return { status: 201, body: view(), latest: () => ok(view()) };
          });
        },
      })
      // refunds.get
      .add('GET', '/v2/payments/refunds/{id}', { run: ({ params }) => ok(account.refund(params.id)) })
      // verify-webhook-signature.post: every field required; SUCCESS only for a delivery this sandbox signed for the app's webhook
      .add('POST', '/v1/notifications/verify-webhook-signature', { run: (c) => ok(verifyWebhookSignature(account, c.json())) })
      // webhooks-events.resend: a new transmission (new id, time and signature), which is how a replay reaches the merchant
      .add('POST', '/v1/notifications/webhooks-events/{id}/resend', {
        run: ({ params }) => {
          const event = account.event(params.id);
          resend(event.id);
          return { status: 202, body: event };
        },
      })
      // webhooks.list / webhooks.post / webhooks.get / webhooks.update (JSON Patch) / webhooks.delete
      .add('GET', '/v1/notifications/webhooks', { run: (c) => ok(webhooks.list(c.query.get('anchor_type') ?? 'APPLICATION')) })
      .add('POST', '/v1/notifications/webhooks', { run: (c) => ({ status: 201, body: webhooks.create(c.json()) }) })
      .add('GET', '/v1/notifications/webhooks/{id}', { run: ({ params }) => ok(webhooks.get(params.id)) })
      .add('PATCH', '/v1/notifications/webhooks/{id}', { run: (c) => ok(webhooks.change(c.params.id, c.jsonPatch())) })
      .add('DELETE', '/v1/notifications/webhooks/{id}', {
        run: ({ params }) => {
          webhooks.delete(params.id);
          return { status: 204, body: undefined };
        },
      })
  );
}

/**
 * What orders.create checks: intent (CAPTURE; the sandbox does not model AUTHORIZE), one purchase unit with an amount.
 * Where the buyer goes comes from payment_source.paypal.experience_context, or the older application_context.
 */
function orderInput(body: Record<string, unknown>, account: PaypalAccount): OrderInput {
  if (body.intent === undefined) throw invalidRequest(missing('/intent'));
  if (body.intent !== 'CAPTURE') {
    if (body.intent === 'AUTHORIZE') throw unprocessable('SANDBOX_INTENT_NOT_SUPPORTED', 'The sandbox models intent CAPTURE only.');
    throw invalidRequest({
      field: '/intent',
      value: String(body.intent),
      location: 'body',
      issue: 'INVALID_PARAMETER_VALUE',
      description: 'The value of a field is invalid.',
    });
  }
  const units = body.purchase_units;
  if (!Array.isArray(units) || units.length === 0) throw invalidRequest(missing('/purchase_units'));
  if (units.length > 1) throw unprocessable('SANDBOX_MULTIPLE_PURCHASE_UNITS', 'The sandbox models a single purchase unit.');
  const unit = (units[0] ?? {}) as Record<string, unknown>;
  const amount = unit.amount as Partial<PaypalMoney> | undefined;
  if (!amount) throw invalidRequest(missing("/purchase_units/@reference_id=='default'/amount"));
  const money = validMoney(amount, "/purchase_units/@reference_id=='default'/amount");
  const paymentSource = (
    body.payment_source as { paypal?: { experience_context?: Record<string, string>; attributes?: { vault?: unknown }; vault_id?: unknown } } | undefined
  )?.paypal;
  const vaultId = paymentSource?.vault_id;
  // vault_id: "^[0-9a-zA-Z_-]+$", 1 to 255 characters (checkout_orders_v2.json, vault_id)
  if (vaultId !== undefined && (typeof vaultId !== 'string' || !/^[0-9a-zA-Z_-]{1,255}$/.test(vaultId))) {
    throw invalidRequest(syntax('/payment_source/paypal/vault_id', String(vaultId)));
  }
  const vaultRequest = account.vault.request(paymentSource?.attributes?.vault);
  const context = paymentSource?.experience_context ?? (body.application_context as Record<string, string> | undefined) ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    amount: money,
    referenceId: text(unit.reference_id) ?? 'default',
    description: text(unit.description),
    customId: text(unit.custom_id),
    invoiceId: text(unit.invoice_id),
    paymentSource: !!paymentSource,
    returnUrl: context.return_url,
    cancelUrl: context.cancel_url,
    locale: context.locale,
    brandName: context.brand_name,
    vault: vaultRequest,
    vaultId: vaultId as string | undefined,
  };
}

/** orders.capture's refusals, by the order's status (checkout_orders_v2.json: ORDER_ALREADY_CAPTURED, ORDER_EXPIRED, ORDER_NOT_APPROVED). */
function checkCapturable(order: PaypalOrder): void {
  switch (order.status) {
    case 'COMPLETED':
      throw unprocessable('ORDER_ALREADY_CAPTURED', "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed.");
    case 'VOIDED':
      throw unprocessable('ORDER_EXPIRED', 'The order has expired.');
    case 'CREATED':
    case 'PAYER_ACTION_REQUIRED':
      throw unprocessable(
        'ORDER_NOT_APPROVED',
        "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
      );
  }
}

const paypalCode = (err: unknown) => (err instanceof PaypalApiError ? (err.details[0]?.issue ?? err.errorName) : undefined);

/** captures.refund's checks (payments_payment_v2.json: CAPTURE_FULLY_REFUNDED, REFUND_CAPTURE_CURRENCY_MISMATCH, REFUND_AMOUNT_EXCEEDED). */
function refundAmount(account: PaypalAccount, captureId: string, body: Record<string, unknown>): number {
  const record = account.captureRecord(captureId);
  const remaining = account.unrefunded(record);
  if (remaining === 0) throw unprocessable('CAPTURE_FULLY_REFUNDED', 'The capture has already been fully refunded.');
  if (body.amount === undefined) return remaining;
  const currency = record.capture.amount.currency_code;
  const requested = validMoney(body.amount as Partial<PaypalMoney>, '/amount');
  if (requested.currency_code !== currency) {
    throw unprocessable('REFUND_CAPTURE_CURRENCY_MISMATCH', 'Refund must be in the same currency as the capture.');
  }
  const amount = toMinor(requested.value, currency);
  if (amount > remaining) {
    throw unprocessable('REFUND_AMOUNT_EXCEEDED', 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.');
  }
  return amount;
}

const SIGNATURE_FIELDS = ['auth_algo', 'cert_url', 'transmission_id', 'transmission_sig', 'transmission_time', 'webhook_id'] as const;

function verifyWebhookSignature(account: PaypalAccount, body: Record<string, unknown>): { verification_status: 'SUCCESS' | 'FAILURE' } {
  const absent: string[] = SIGNATURE_FIELDS.filter((f) => typeof body[f] !== 'string' || !body[f]);
  if (body.webhook_event === undefined || typeof body.webhook_event !== 'object') absent.push('webhook_event');
  if (absent.length) {
    throw new PaypalApiError(
      400,
      'VALIDATION_ERROR',
      'Invalid request - see details',
      absent.map((f) => ({ field: f, location: 'body', issue: 'Required field cannot be blank', description: 'Required field cannot be blank' })),
    );
  }
  const genuine = account.verify(body as Record<(typeof SIGNATURE_FIELDS)[number], string> & { webhook_event: unknown });
  return { verification_status: genuine ? 'SUCCESS' : 'FAILURE' };
}
