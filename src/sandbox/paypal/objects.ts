// The PayPal objects the sandbox answers with, in their wire shape (checkout_orders_v2.json, payments_payment_v2.json,
// notifications_webhooks_v1.json in paypal/paypal-rest-api-specifications): the fields the sandbox models.
import type { WebhookAttempt } from '../webhook-outbox.ts';
import type { PaypalMoney } from './money.ts';

export type { PaypalMoney } from './money.ts';
export type { WebhookAttempt };

/** HATEOAS links: every object says where to go next, and which method to use. */
export interface PaypalLink {
  href: string;
  rel: string;
  method: 'GET' | 'POST' | 'PATCH';
}

export interface PaypalCapture {
  id: string;
  status: 'COMPLETED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  amount: PaypalMoney;
  final_capture: true;
  seller_protection: { status: 'ELIGIBLE'; dispute_categories: string[] };
  seller_receivable_breakdown: { gross_amount: PaypalMoney; paypal_fee: PaypalMoney; net_amount: PaypalMoney };
  custom_id?: string;
  links: PaypalLink[];
  create_time: string;
  update_time: string;
}

export interface PaypalPurchaseUnit {
  reference_id: string;
  amount: PaypalMoney;
  payee: { email_address: string; merchant_id: string };
  description?: string;
  custom_id?: string;
  invoice_id?: string;
  payments?: { captures: PaypalCapture[] };
}

export interface PaypalOrder {
  id: string;
  intent: 'CAPTURE';
  status: 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED' | 'VOIDED';
  payment_source?: { paypal: Record<string, unknown> };
  purchase_units: PaypalPurchaseUnit[];
  payer?: { name: { given_name: string; surname: string }; email_address: string; payer_id: string; address: { country_code: string } };
  create_time: string;
  update_time?: string;
  links: PaypalLink[];
}

export interface PaypalRefund {
  id: string;
  amount: PaypalMoney;
  seller_payable_breakdown: { gross_amount: PaypalMoney; paypal_fee: PaypalMoney; net_amount: PaypalMoney; total_refunded_amount: PaypalMoney };
  custom_id?: string;
  status: 'COMPLETED';
  create_time: string;
  update_time: string;
  links: PaypalLink[];
}

export interface PaypalWebhookEvent {
  id: string;
  event_version: '1.0';
  create_time: string;
  resource_type: string;
  resource_version: '2.0';
  event_type: string;
  summary: string;
  resource: object;
  links: PaypalLink[];
}

export interface SentEvent {
  event: PaypalWebhookEvent;
  attempts: WebhookAttempt[];
}

/** PayPal's timestamps: RFC 3339 to the second ("2024-05-01T10:00:00Z"). */
export const isoNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
