// Kysely's view of the tables made by src/db/migrations (keep the two in step).
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export interface PriceItem {
  code: 'domain_first_year' | 'service' | 'express_surcharge';
  amountCents: number;
}

export interface OrdersTable {
  id: string;
  tracking_token: string;
  idempotency_key: string | null;
  request_hash: string | null;
  business_name: string;
  email: string;
  city: string | null;
  locale: 'fr' | 'en';
  domain: string;
  domain_unicode: string;
  tier: 'express' | 'standard';
  state: string;
  currency: string;
  price_items: Json<PriceItem[]>;
  total_cents: number;
  premium: Generated<boolean>;
  payment_provider: 'stripe' | 'paypal';
  deadline_hours: number;
  paid_at: Timestamp | null;
  deadline_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PaymentLinksTable {
  id: string;
  order_id: string;
  seq: number;
  provider: 'stripe' | 'paypal';
  provider_ref: string | null;
  url: string | null;
  amount_cents: number;
  currency: string;
  expires_at: Timestamp;
  state: Generated<'creating' | 'open' | 'paid' | 'expired' | 'superseded'>;
  created_at: CreatedAt;
}

export interface OrderEventsTable {
  id: Generated<string>;
  order_id: string;
  type: string;
  data: Json<Record<string, unknown>>;
  at: Generated<Date>;
}

export interface OutboxEmailsTable {
  id: string;
  order_id: string | null;
  dedupe_key: string;
  kind: string;
  to_address: string;
  locale: string;
  subject: string;
  text_body: string;
  html_body: string;
  state: Generated<'pending' | 'sending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  route: string | null;
  message_id: string;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export interface ProviderCallsTable {
  id: Generated<string>;
  order_id: string | null;
  provider: string;
  operation: string;
  outcome: string;
  error_code: string | null;
  duration_ms: number;
  at: Generated<Date>;
}

export interface DB {
  orders: OrdersTable;
  payment_links: PaymentLinksTable;
  order_events: OrderEventsTable;
  outbox_emails: OutboxEmailsTable;
  provider_calls: ProviderCallsTable;
}

export type Order = Selectable<OrdersTable>;
export type NewOrder = Insertable<OrdersTable>;
export type PaymentLinkRow = Selectable<PaymentLinksTable>;
export type OrderEvent = Selectable<OrderEventsTable>;
export type OutboxEmail = Selectable<OutboxEmailsTable>;
