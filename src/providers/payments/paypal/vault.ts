// PayPal's vault with Orders v2 (PAYPAL_VAULT on): the first order asks PayPal to save the payer's PayPal at its
// capture, a renewal is an order paid with the saved token without the payer, and the token is deleted when the
// customer withdraws their consent. Sources: developer.paypal.com/docs/checkout/save-payment-methods/during-purchase/
// orders-api/paypal (save during purchase), .../purchase-later (use a payment method token), docs/api/orders/v2 and
// docs/api/payment-tokens/v3, and their OpenAPI files (paypal/paypal-rest-api-specifications: checkout_orders_v2.json,
// vault_payment_tokens_v3.json).
import { ProviderError } from '../../../errors.ts';
import { maskEmail } from '../../../domain/payment-method.ts';
import type { PaymentLinkRequest } from '../index.ts';
import type { OffSessionCharge, OffSessionChargeRequest, OffSessionPayments, SavedMethod } from '../off-session.ts';
import { formatAmount, parseAmount, type Capture, type Order } from './client.ts';

/** A vaulted renewal's custom_id (127 characters at most): "renewal:<order id>:<attempt id>". */
export const renewalCustomId = (orderId: string, attemptId: string) => `renewal:${orderId}:${attemptId}`;

export type PaypalRequest = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, requestId?: string) => Promise<T>;

/**
 * payment_source.paypal.attributes.vault of the first order (vault_paypal_wallet_base): store_in_vault "ON_SUCCESS"
 * (saved once the payment succeeds), usage_type "MERCHANT" (required: our own customers, not a platform's),
 * customer_type "CONSUMER", usage_pattern "RECURRING_PREPAID" ("recurring payments before services are rendered": the
 * renewal is charged before the new year), permit_multiple_payment_tokens true (each order keeps a token of its own, so
 * withdrawing consent for one site leaves another site of the same payer alone), and the description PayPal shows the
 * payer on approval (1 to 128 characters).
 */
export function vaultAttributes(req: Pick<PaymentLinkRequest, 'locale'>) {
  return {
    vault: {
      store_in_vault: 'ON_SUCCESS',
      usage_type: 'MERCHANT',
      customer_type: 'CONSUMER',
      usage_pattern: 'RECURRING_PREPAID',
      permit_multiple_payment_tokens: true,
      description: req.locale === 'fr' ? 'Renouvellement annuel automatique du site et de son domaine' : 'Automatic yearly renewal of the site and its domain',
    },
  };
}

/**
 * The refusals of an order paid with a saved token that are the payer's answer, not a request we got wrong
 * (checkout_orders_v2.json, 422: INSTRUMENT_DECLINED, PAYER_ACTION_REQUIRED, PAYEE_BLOCKED_TRANSACTION, PAYER_CANNOT_PAY,
 * TRANSACTION_REFUSED, MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED, TOKEN_EXPIRED, PAYMENT_SOURCE_CANNOT_BE_USED,
 * PAYMENT_SOURCE_DECLINED_BY_PROCESSOR; TOKEN_ID_NOT_FOUND when the token was deleted). Each sends the renewal to its
 * payment link.
 */
const PAYER_REFUSALS = new Set([
  'instrument_declined',
  'payer_action_required',
  'payee_blocked_transaction',
  'payer_cannot_pay',
  'transaction_refused',
  'max_number_of_payment_attempts_exceeded',
  'token_expired',
  'payment_source_cannot_be_used',
  'payment_source_declined_by_processor',
  'token_id_not_found',
]);
/** the token no longer exists: the plan forgets it and later renewals go by link */
const GONE = new Set(['token_id_not_found', 'token_expired']);

interface VaultedSource {
  email_address?: string;
  attributes?: { vault?: { id?: string; status?: string; customer?: { id?: string } } };
}

export class PaypalOffSession implements OffSessionPayments {
  constructor(private readonly request: PaypalRequest) {}

  /**
   * The token the order of capture `paymentRef` saved: the capture names its order (supplementary_data.related_ids),
   * whose payment_source.paypal.attributes.vault has the token's id and PayPal's customer id once it is VAULTED.
   */
  async savedMethodOf(paymentRef: string): Promise<SavedMethod | undefined> {
    const capture = await this.request<Capture & { supplementary_data?: { related_ids?: { order_id?: string } } }>(
      'GET',
      `/v2/payments/captures/${encodeURIComponent(paymentRef)}`,
    );
    const orderId = capture.supplementary_data?.related_ids?.order_id;
    if (!orderId) return undefined;
    const order = await this.request<Order & { payment_source?: { paypal?: VaultedSource } }>('GET', `/v2/checkout/orders/${encodeURIComponent(orderId)}`);
    const paypal = order.payment_source?.paypal;
    const vault = paypal?.attributes?.vault;
    // status is deprecated but still sent: CREATED / APPROVED mean the payer has not finished saving it
    if (!vault?.id || !vault.customer?.id || (vault.status && vault.status !== 'VAULTED')) return undefined;
    return {
      customerRef: vault.customer.id,
      paymentMethodRef: vault.id,
      brand: 'paypal',
      ...(paypal?.email_address ? { payerEmail: maskEmail(paypal.email_address) } : {}),
    };
  }

  /**
   * An order paid with the token (payment_source.paypal.vault_id), intent CAPTURE: PayPal completes it in the create
   * call, without the payer. The PayPal-Request-Id is the attempt's key: a retry gets "the latest status of the previous
   * request" (developer.paypal.com/reference/guidelines/idempotency) for the 6 hours PayPal keeps it (orders.create's
   * PayPal-Request-Id), never a second capture. custom_id carries the order and attempt (renewalCustomId), which the
   * capture's webhook brings back.
   */
  async charge(req: OffSessionChargeRequest): Promise<OffSessionCharge> {
    const currency = req.currency.toUpperCase();
    let order: Order;
    try {
      order = await this.request<Order>(
        'POST',
        '/v2/checkout/orders',
        {
          intent: 'CAPTURE',
          purchase_units: [
            {
              reference_id: req.orderId,
              custom_id: renewalCustomId(req.orderId, req.attemptId),
              description: req.description.slice(0, 127),
              amount: { currency_code: currency, value: formatAmount(req.amountCents, currency) },
            },
          ],
          payment_source: { paypal: { vault_id: req.paymentMethodRef } },
        },
        req.idempotencyKey,
      );
    } catch (err) {
      if (err instanceof ProviderError && PAYER_REFUSALS.has(err.code)) return { state: 'declined', code: err.code, methodGone: GONE.has(err.code) };
      throw err;
    }
    return outcomeOf(order);
  }

  /**
   * Orders v2 has no search by custom_id: a charge whose answer was lost is found again by repeating it under the same
   * PayPal-Request-Id (charge), and past those hours by the capture's webhook, which names the attempt in custom_id.
   */
  async findCharge(): Promise<OffSessionCharge | undefined> {
    return undefined;
  }

  /** DELETE /v3/vault/payment-tokens/{id} (payment-tokens.delete, 204). A token already gone (404) is what we wanted. */
  async forget(paymentMethodRef: string): Promise<void> {
    try {
      await this.request('DELETE', `/v3/vault/payment-tokens/${encodeURIComponent(paymentMethodRef)}`);
    } catch (err) {
      if (err instanceof ProviderError && err.code === 'not_found') return;
      throw err;
    }
  }
}

/**
 * The order's capture decides: COMPLETED is paid; DECLINED or FAILED is the payer's refusal ("a completed order can
 * indicate ... a payment was declined", order_status); PENDING is money on its way, asked again under the same
 * PayPal-Request-Id by the job's next try (its webhook settles it too).
 */
function outcomeOf(order: Order): OffSessionCharge {
  const capture = order.purchase_units?.[0]?.payments?.captures?.[0];
  if (order.status === 'COMPLETED' && capture?.status === 'COMPLETED') {
    const currency = capture.amount.currency_code;
    return { state: 'succeeded', paymentRef: capture.id, amountCents: parseAmount(capture.amount.value, currency), currency };
  }
  if (capture?.status === 'PENDING') throw new ProviderError('paypal', 'capture_pending', `capture ${capture.id} of order ${order.id} is pending`, true);
  if (capture) return { state: 'declined', code: capture.status === 'FAILED' ? 'capture_failed' : 'capture_declined', paymentRef: capture.id };
  return { state: 'declined', code: order.status === 'PAYER_ACTION_REQUIRED' ? 'payer_action_required' : `order_${order.status.toLowerCase()}` };
}
