// The Stripe objects the sandbox answers with, in their wire shape (docs.stripe.com/api: "The Checkout Session object",
// "The Event object", "The Refund object", "The PaymentIntent object", "The Charge object"): the fields the sandbox
// models, the others at their real defaults.
import type { WebhookAttempt } from '../webhook-outbox.ts';

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
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  recovered_from: null;
  setup_intent: null;
  status: 'open' | 'complete' | 'expired';
  submit_type: null;
  subscription: null;
  success_url: string;
  total_details: { amount_discount: number; amount_shipping: number; amount_tax: number };
  ui_mode: 'hosted';
  /** "only present when the session is active" (the object's reference) */
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

export type { WebhookAttempt };

export interface SentEvent {
  event: StripeEvent;
  attempts: WebhookAttempt[];
}

export interface Refund {
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

/**
 * A session's PaymentIntent and its one Charge, kept together: a refund is made against either. A card payment is
 * `succeeded` at once; a delayed method (SEPA Debit) is `processing` until the bank answers, then `succeeded`, or
 * `requires_payment_method` when it failed (docs.stripe.com/payments/paymentintents/lifecycle).
 */
export interface PaymentIntentRecord {
  id: string;
  chargeId: string;
  status: 'processing' | 'succeeded' | 'requires_payment_method';
  paymentMethodType: string;
  /** ms since epoch when the money arrived (status succeeded): the moment an order's deadline may start from */
  succeededAt?: number;
  amount: number;
  currency: string;
  amountRefunded: number;
  metadata: Record<string, string>;
  created: number;
}

/** The fields a create call sets on a session; the others start at their defaults. */
export type SessionFields = Pick<
  CheckoutSession,
  | 'amount_total'
  | 'cancel_url'
  | 'client_reference_id'
  | 'created'
  | 'currency'
  | 'customer_email'
  | 'expires_at'
  | 'locale'
  | 'metadata'
  | 'payment_method_types'
  | 'success_url'
>;

/** The session a create call makes: open, unpaid, with its hosted page's URL (fields in the API's order). */
export function openSession(f: SessionFields & Pick<CheckoutSession, 'id' | 'url'>): CheckoutSession {
  return {
    id: f.id,
    object: 'checkout.session',
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: f.amount_total,
    amount_total: f.amount_total,
    automatic_tax: { enabled: false, liability: null, status: null },
    billing_address_collection: null,
    cancel_url: f.cancel_url,
    client_reference_id: f.client_reference_id,
    client_secret: null,
    created: f.created,
    currency: f.currency,
    customer: null,
    customer_creation: 'if_required',
    customer_details: null,
    customer_email: f.customer_email,
    expires_at: f.expires_at,
    invoice: null,
    livemode: false,
    locale: f.locale,
    metadata: f.metadata,
    mode: 'payment',
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'if_required',
    payment_method_types: f.payment_method_types,
    payment_status: 'unpaid',
    recovered_from: null,
    setup_intent: null,
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: f.success_url,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: f.url,
  };
}

/** Checkout confirms card payments at once (`succeeded`, its amount received in full); a delayed method's waits. */
export function paymentIntentObject(pi: PaymentIntentRecord) {
  return {
    id: pi.id,
    object: 'payment_intent',
    amount: pi.amount,
    amount_received: pi.status === 'succeeded' ? pi.amount : 0,
    capture_method: 'automatic_async',
    created: pi.created,
    currency: pi.currency,
    latest_charge: pi.chargeId,
    livemode: false,
    metadata: pi.metadata,
    payment_method_types: [pi.paymentMethodType],
    status: pi.status,
  };
}

/** `refunded` is true once the whole amount is refunded ("Whether the charge has been fully refunded"). */
export function chargeObject(pi: PaymentIntentRecord) {
  return {
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
  };
}
