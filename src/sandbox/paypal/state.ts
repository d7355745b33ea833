// The PayPal sandbox's merchant account: orders, their captures and refunds, and the webhook events each change emits.
// Invariants: an order goes CREATED/PAYER_ACTION_REQUIRED → APPROVED → COMPLETED, or is VOIDED when nobody approves it
// in time, and no reader ever sees an approvable order past that time; an order is captured once; a capture is never
// refunded beyond its amount; an event carries a snapshot of its resource. An order paid with a saved token
// (vault_id) is created and captured at once, without the payer; the vault itself is vault.ts.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Deadline } from '../clock.ts';
import { Ledger } from '../ledger.ts';
import { notFound, paypalId, unprocessable } from './api.ts';
import { money, toMinor, ZERO_DECIMAL, type PaypalMoney } from './money.ts';
import { BUYER, PaypalVault, type Payer, type PaymentToken, type VaultRequest } from './vault.ts';
import { isoNow, type PaypalCapture, type PaypalOrder, type PaypalRefund, type PaypalWebhookEvent, type SentEvent } from './objects.ts';

export const MERCHANT = { email_address: 'merchant@conciergerie.example', merchant_id: 'SANDBOXMERCH01' };
export { BUYER };
/**
 * PayPal signs webhooks with RSA (SHA256withRSA) and a certificate at PAYPAL-CERT-URL. The sandbox signs the same
 * string with an HMAC it alone holds, so the only way to check a delivery is to ask verify-webhook-signature,
 * which is what merchants are told to do anyway. The header says what the real one says.
 */
export const AUTH_ALGO = 'SHA256withRSA';

/** What a valid POST /v2/checkout/orders asks for (routes.ts checks it). */
export interface OrderInput {
  amount: PaypalMoney;
  referenceId: string;
  description?: string;
  customId?: string;
  invoiceId?: string;
  /** payment_source.paypal given: PayPal answers PAYER_ACTION_REQUIRED and a "payer-action" link */
  paymentSource: boolean;
  returnUrl?: string;
  cancelUrl?: string;
  locale?: string;
  brandName?: string;
  /** payment_source.paypal.attributes.vault: save the payer's PayPal at the capture */
  vault?: VaultRequest;
  /** payment_source.paypal.vault_id: paid with a saved token, without the payer */
  vaultId?: string;
}

export interface OrderRecord {
  order: PaypalOrder;
  returnUrl?: string;
  cancelUrl?: string;
  locale?: string;
  brandName?: string;
  /** what the order asked to save at its capture */
  vault?: VaultRequest;
  /** when the buyer can no longer approve it */
  approveBy: number;
  deadline?: Deadline;
}

export interface CaptureRecord {
  capture: PaypalCapture;
  orderId: string;
  refundedMinor: number;
}

export class PaypalAccount {
  private readonly orders = new Map<string, OrderRecord>();
  private readonly captures = new Map<string, CaptureRecord>();
  private readonly refunds = new Map<string, PaypalRefund>();
  private readonly signingKey = randomBytes(32);
  /** every event and its delivery attempts, oldest first */
  readonly events: SentEvent[] = [];
  /** every refund request that reached a capture (routes.ts), done or refused */
  readonly ledger = new Ledger();
  readonly vault: PaypalVault;

  constructor(
    private readonly o: {
      /** the API's own address (links, certificate URL) */
      baseUrl: () => string;
      /** base of the approval page URLs handed to buyers */
      publicBase: () => string;
      /** how long an order waits for the buyer's approval before it is voided */
      orderTtlMs: number;
      /** the merchant's webhook id (PAYPAL_WEBHOOK_ID): what deliveries are signed for */
      webhookId: string;
      /** sends an event to the app's webhook when it subscribes to its type */
      deliver: (event: PaypalWebhookEvent) => void;
    },
  ) {
    this.vault = new PaypalVault(o.baseUrl);
  }

  emit(eventType: string, resourceType: string, summary: string, resource: object): PaypalWebhookEvent {
    const id = `WH-${paypalId(17)}-${paypalId(17)}`;
    const base = this.o.baseUrl();
    const event: PaypalWebhookEvent = {
      id,
      event_version: '1.0',
      create_time: isoNow(),
      resource_type: resourceType,
      resource_version: '2.0',
      event_type: eventType,
      summary,
      resource: structuredClone(resource),
      links: [
        { href: `${base}/v1/notifications/webhooks-events/${id}`, rel: 'self', method: 'GET' },
        { href: `${base}/v1/notifications/webhooks-events/${id}/resend`, rel: 'resend', method: 'POST' },
      ],
    };
    this.events.push({ event, attempts: [] });
    this.o.deliver(event);
    return event;
  }

  event(id: string): PaypalWebhookEvent {
    const sent = this.events.find((e) => e.event.id === id);
    if (!sent) throw notFound('event_id', id);
    return sent.event;
  }

  // ---- Webhook signatures -------------------------------------------------------------------

  certUrl(): string {
    return `${this.o.baseUrl()}/v1/notifications/certs/CERT-360caa42-fca2a594-sandbox`;
  }

  /** The string PayPal signs: transmission id, time, the receiver's webhook id and the CRC32 of the raw body, joined by "|". */
  sign(transmissionId: string, time: string, webhookId: string, body: string): string {
    return createHmac('sha256', this.signingKey)
      .update(`${transmissionId}|${time}|${webhookId}|${crc32(body)}`)
      .digest('base64');
  }

  /** PayPal recomputes the CRC32 over the event as it receives it, which is why merchants must pass the body unmodified. */
  verify(v: {
    auth_algo: string;
    cert_url: string;
    transmission_id: string;
    transmission_sig: string;
    transmission_time: string;
    webhook_id: string;
    webhook_event: unknown;
  }): boolean {
    const expected = Buffer.from(this.sign(v.transmission_id, v.transmission_time, v.webhook_id, JSON.stringify(v.webhook_event)));
    const given = Buffer.from(v.transmission_sig);
    return (
      v.webhook_id === this.o.webhookId &&
      v.auth_algo === AUTH_ALGO &&
      v.cert_url === this.certUrl() &&
      expected.length === given.length &&
      timingSafeEqual(expected, given)
    );
  }

  // ---- Orders ------------------------------------------------------------------------------

  createOrder(input: OrderInput): OrderRecord {
    // a saved token pays at once or the order is refused whole (nothing is created)
    const token = input.vaultId === undefined ? undefined : this.vault.usable(input.vaultId);
    if (token) this.vault.charge(token);
    const id = paypalId(17);
    const base = this.o.baseUrl();
    const approve = `${this.o.publicBase()}/checkoutnow?token=${id}`;
    const order: PaypalOrder = {
      id,
      intent: 'CAPTURE',
      status: input.paymentSource ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      ...(input.paymentSource ? { payment_source: { paypal: {} } } : {}),
      purchase_units: [
        {
          reference_id: input.referenceId,
          amount: input.amount,
          payee: MERCHANT,
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.customId !== undefined ? { custom_id: input.customId } : {}),
          ...(input.invoiceId !== undefined ? { invoice_id: input.invoiceId } : {}),
        },
      ],
      create_time: isoNow(),
      links: [
        { href: `${base}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' },
        ...(input.paymentSource
          ? [{ href: approve, rel: 'payer-action', method: 'GET' } as const]
          : [
              { href: approve, rel: 'approve', method: 'GET' } as const,
              { href: `${base}/v2/checkout/orders/${id}`, rel: 'update', method: 'PATCH' } as const,
              { href: `${base}/v2/checkout/orders/${id}/capture`, rel: 'capture', method: 'POST' } as const,
            ]),
      ],
    };
    const record: OrderRecord = {
      order,
      returnUrl: input.returnUrl,
      cancelUrl: input.cancelUrl,
      locale: input.locale,
      brandName: input.brandName,
      vault: input.vault,
      approveBy: Date.now() + this.o.orderTtlMs,
    };
    this.orders.set(id, record);
    if (token) {
      // "use payment method token": the order is completed in the create call, its capture made without the payer
      this.payWith(record, token.payer);
      record.order.payment_source!.paypal.attributes = { vault: this.vault.orderView(token) };
      this.capture(id);
      return record;
    }
    record.deadline = new Deadline(record.approveBy, () => this.voidIfUnapproved(id));
    return record;
  }

  orderList(): PaypalOrder[] {
    return [...this.orders.keys()].map((id) => this.order(id).order);
  }

  /** Voiding happens on a timer, but every read checks too so no one sees an approvable order past its time. */
  order(id: string): OrderRecord {
    this.voidIfUnapproved(id);
    const record = this.orders.get(id);
    if (!record) throw notFound('order_id', id);
    return record;
  }

  /**
   * The buyer approves on the approval page (as `payer`, one of vault.ts's test payers): APPROVED, the payer known,
   * CHECKOUT.ORDER.APPROVED. An approved order stays so.
   */
  approve(id: string, payer: Payer = BUYER): { order: PaypalOrder; redirectUrl: string } {
    const record = this.order(id);
    const { order } = record;
    if (order.status === 'VOIDED') throw unprocessable('ORDER_EXPIRED', 'The order has expired.');
    if (order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED') {
      record.deadline?.cancel();
      this.payWith(record, { ...payer, payer_id: paypalId(13) });
      const self = `${this.o.baseUrl()}/v2/checkout/orders/${id}`;
      order.links = [
        { href: self, rel: 'self', method: 'GET' },
        { href: self, rel: 'update', method: 'PATCH' },
        { href: `${self}/capture`, rel: 'capture', method: 'POST' },
      ];
      this.emit('CHECKOUT.ORDER.APPROVED', 'checkout-order', 'An order has been approved by buyer', order);
    }
    return { order, redirectUrl: this.returnUrl(record) };
  }

  /** The order APPROVED by `payer`: who pays, with their PayPal account as the payment source. */
  private payWith(record: OrderRecord, payer: Payer & { payer_id: string }): void {
    const { order } = record;
    const name = { given_name: payer.given_name, surname: payer.surname };
    order.status = 'APPROVED';
    order.update_time = isoNow();
    order.payer = { name, email_address: payer.email_address, payer_id: payer.payer_id, address: { country_code: 'FR' } };
    order.payment_source = {
      paypal: { email_address: payer.email_address, account_id: payer.payer_id, account_status: 'VERIFIED', name, address: { country_code: 'FR' } },
    };
  }

  /** Where the buyer goes back to: return_url with `token` (the order id) and `PayerID` added. */
  returnUrl(record: OrderRecord): string {
    const target = record.returnUrl ?? `${this.o.publicBase()}/checkoutnow/done`;
    const sep = target.includes('?') ? '&' : '?';
    return `${target}${sep}token=${record.order.id}&PayerID=${record.order.payer?.payer_id ?? ''}`;
  }

  /** Captures an approved order once (the route checks its status): the money taken, PAYMENT.CAPTURE.COMPLETED. */
  capture(id: string): PaypalOrder {
    const record = this.order(id);
    const { order } = record;
    if (order.status !== 'APPROVED') throw new Error(`paypal sandbox: capture of an order in status ${order.status}`);
    const unit = order.purchase_units[0];
    const currency = unit.amount.currency_code;
    const gross = toMinor(unit.amount.value, currency);
    // PayPal's fee in the euro area, roughly: 2.9 % + 0.35
    const fee = Math.round(gross * 0.029) + (ZERO_DECIMAL.has(currency) ? 0 : 35);
    const captureId = paypalId(17);
    const base = this.o.baseUrl();
    const now = isoNow();
    const capture: PaypalCapture = {
      id: captureId,
      status: 'COMPLETED',
      amount: unit.amount,
      final_capture: true,
      seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
      seller_receivable_breakdown: { gross_amount: unit.amount, paypal_fee: money(fee, currency), net_amount: money(gross - fee, currency) },
      ...(unit.custom_id ? { custom_id: unit.custom_id } : {}),
      links: [
        { href: `${base}/v2/payments/captures/${captureId}`, rel: 'self', method: 'GET' },
        { href: `${base}/v2/payments/captures/${captureId}/refund`, rel: 'refund', method: 'POST' },
        { href: `${base}/v2/checkout/orders/${id}`, rel: 'up', method: 'GET' },
      ],
      create_time: now,
      update_time: now,
    };
    unit.payments = { captures: [capture] };
    order.status = 'COMPLETED';
    order.update_time = now;
    order.links = [{ href: `${base}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' }];
    this.captures.set(captureId, { capture, orderId: id, refundedMinor: 0 });
    // the vault instruction is ON_SUCCESS: the token is saved once the payment went through, and the order says which
    if (record.vault && order.payer) this.saveToken(order, record.vault);
    this.emit('PAYMENT.CAPTURE.COMPLETED', 'capture', `Payment completed for ${unit.amount.value} ${currency}`, {
      ...capture,
      supplementary_data: { related_ids: { order_id: id } },
    });
    return order;
  }

  private saveToken(order: PaypalOrder, request: VaultRequest): PaymentToken {
    const payer = order.payer!;
    const token = this.vault.store({ ...payer.name, email_address: payer.email_address, payer_id: payer.payer_id }, request);
    order.payment_source!.paypal.attributes = { vault: this.vault.orderView(token) };
    this.emit('VAULT.PAYMENT-TOKEN.CREATED', 'payment_token', 'A payment token has been created.', this.vault.view(token));
    return token;
  }

  private voidIfUnapproved(id: string): void {
    const record = this.orders.get(id);
    if (!record || (record.order.status !== 'CREATED' && record.order.status !== 'PAYER_ACTION_REQUIRED')) return;
    if (record.approveBy > Date.now()) return;
    record.deadline?.cancel();
    record.order.status = 'VOIDED';
    record.order.update_time = isoNow();
    record.order.links = [{ href: `${this.o.baseUrl()}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' }];
    this.emit('CHECKOUT.ORDER.VOIDED', 'checkout-order', 'Checkout Order Voided', record.order);
  }

  // ---- Captures and refunds ------------------------------------------------------------------

  captureRecord(id: string): CaptureRecord {
    const record = this.captures.get(id);
    if (!record) throw notFound('capture_id', id);
    return record;
  }

  unrefunded(record: CaptureRecord): number {
    return toMinor(record.capture.amount.value, record.capture.amount.currency_code) - record.refundedMinor;
  }

  refund(id: string): PaypalRefund {
    const refund = this.refunds.get(id);
    if (!refund) throw notFound('refund_id', id);
    return refund;
  }

  /** Refunds `amount` minor units of the capture (the route checked it is no more than what remains), then PAYMENT.CAPTURE.REFUNDED. */
  createRefund(captureId: string, amount: number): PaypalRefund {
    const record = this.captureRecord(captureId);
    if (amount < 1 || amount > this.unrefunded(record)) throw new Error(`paypal sandbox: refund of ${amount} on ${captureId} breaks the capture's amount`);
    const { capture } = record;
    const currency = capture.amount.currency_code;
    const total = toMinor(capture.amount.value, currency);
    record.refundedMinor += amount;
    const now = isoNow();
    capture.status = record.refundedMinor === total ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.update_time = now;
    const feeBack = Math.round((amount / total) * toMinor(capture.seller_receivable_breakdown.paypal_fee.value, currency));
    const refundId = paypalId(17);
    const base = this.o.baseUrl();
    const refund: PaypalRefund = {
      id: refundId,
      amount: money(amount, currency),
      seller_payable_breakdown: {
        gross_amount: money(amount, currency),
        paypal_fee: money(feeBack, currency),
        net_amount: money(amount - feeBack, currency),
        total_refunded_amount: money(record.refundedMinor, currency),
      },
      ...(capture.custom_id ? { custom_id: capture.custom_id } : {}),
      status: 'COMPLETED',
      create_time: now,
      update_time: now,
      links: [
        { href: `${base}/v2/payments/refunds/${refundId}`, rel: 'self', method: 'GET' },
        { href: `${base}/v2/payments/captures/${captureId}`, rel: 'up', method: 'GET' },
      ],
    };
    this.refunds.set(refundId, refund);
    this.emit('PAYMENT.CAPTURE.REFUNDED', 'refund', `A ${refund.amount.value} ${currency} capture payment was refunded`, refund);
    return refund;
  }

  close(): void {
    for (const record of this.orders.values()) record.deadline?.cancel();
  }
}
