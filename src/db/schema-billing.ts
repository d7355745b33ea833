// Kysely's view of the tables of money and the year after delivery: invoices and credit notes, the customer's space,
// renewals, transfers out (the rest of the tables: src/db/schema.ts).
import type { ColumnType, Generated } from 'kysely';
import type { Locale } from '../domain/locale.ts';
import type { CreatedAt, Json, PaymentProvider, Timestamp, TouchedAt } from './columns.ts';

// ---------- invoices and credit notes (migration 016) ----------

/** The billing identity and VAT case an order was placed with: personal data, apart from the order row. */
export interface OrderBillingTable {
  order_id: string;
  identity: Json<import('../billing/identity.ts').BillingIdentity>;
  tax: Json<import('../billing/identity.ts').OrderTax>;
  created_at: CreatedAt;
}

/** One counter a series (invoice, credit_note): moved by one in the transaction that issues a document. */
export interface DocumentCountersTable {
  series: 'invoice' | 'credit_note';
  prefix: string;
  next: string;
}

/** Issued invoices and credit notes: never updated nor deleted (a trigger refuses it). */
export interface InvoicesTable {
  id: string;
  kind: 'invoice' | 'credit_note';
  /** bigint: read as a string */
  seq: ColumnType<string, string | number, never>;
  number: string;
  order_id: string;
  invoice_id: string | null;
  payment_ref: string;
  provider: string;
  issued_at: ColumnType<Date, Date | string, never>;
  locale: Locale;
  currency: string;
  customer_kind: 'consumer' | 'business';
  vat_case: string;
  seller: Json<import('../config/seller.ts').Seller>;
  buyer: Json<import('../billing/identity.ts').BillingIdentity>;
  lines: Json<import('../billing/documents.ts').DocumentLine[]>;
  vat_breakdown: Json<import('../billing/documents.ts').VatLine[]>;
  total_excl_vat_cents: ColumnType<string, number, never>;
  vat_cents: ColumnType<string, number, never>;
  total_incl_vat_cents: ColumnType<string, number, never>;
  mentions: Json<import('../billing/documents.ts').Mention[]>;
  settled_at: ColumnType<Date, Date | string, never>;
  reason: string | null;
}

/** Each document's PDF as first rendered (kept, never re-rendered). */
export interface InvoiceFilesTable {
  invoice_id: string;
  pdf: Buffer;
  facturx: boolean;
  created_at: CreatedAt;
}

/** Refunds after payment that leave the order standing: an operator's, a consumer's withdrawal. */
export interface OrderRefundsTable {
  id: string;
  order_id: string;
  kind: 'operator' | 'withdrawal';
  amount_cents: ColumnType<string, number, never>;
  reason: string | null;
  requested_by: string | null;
  state: Generated<'pending' | 'refunded'>;
  refund_id: string | null;
  created_at: CreatedAt;
  refunded_at: Timestamp | null;
}

// ---------- the customer's space (sign-in links, sessions) ----------

/** A one-time sign-in link: the digest of its token, the address it signs in, until when, and whether it was used. */
export interface AccountSignInLinksTable {
  token_hash: string;
  email: string;
  locale: Locale;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A signed-in customer's session: the digest of the cookie's id, the address, the CSRF token every change sends. */
export interface AccountSessionsTable {
  id_hash: string;
  email: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  last_seen_at: TouchedAt;
}

/** The domain holder an order was placed with: personal data, apart from the order row. */
export interface OrderHoldersTable {
  order_id: string;
  holder: Json<unknown>;
  created_at: CreatedAt;
}

// ---------- renewals ----------

export type RenewalState = 'pending' | 'scheduled' | 'charging' | 'paid' | 'dunning' | 'grace' | 'lost' | 'gone';

/** Per order: the auto-renewal choice and consent, the saved payment method, the expiry and next year's price (migration 019). */
export interface RenewalsTable {
  order_id: string;
  auto_renew: Generated<boolean>;
  consent_at: Timestamp | null;
  consent_version: string | null;
  provider: PaymentProvider;
  customer_ref: string | null;
  payment_method_ref: string | null;
  card_brand: string | null;
  card_last4: string | null;
  /** a PayPal method: the payer's email, masked (migration 023) */
  payer_email_masked: string | null;
  expires_at: Timestamp | null;
  charge_at: Timestamp | null;
  price_cents: number | null;
  /** what the renewal charges: its invoice's total with VAT (migration 022; null: price_cents) */
  charge_cents: ColumnType<number | null, number | null | undefined, number | null>;
  currency: string;
  state: Generated<RenewalState>;
  reminded_days: number | null;
  dunning_next_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: TouchedAt;
}

/** One renewal per order and registration year: the exactly-once anchor of its charge and of the registrar's renewal. */
export interface RenewalAttemptsTable {
  id: string;
  order_id: string;
  /** YYYY-MM-DD */
  from_expiry: ColumnType<Date, string, string>;
  amount_cents: number;
  /** what is charged: the invoice's total with VAT of amount_cents (migration 022; null: amount_cents) */
  charge_cents: ColumnType<number | null, number | null | undefined, number | null>;
  currency: string;
  method: 'off_session' | 'link';
  state: 'charging' | 'declined' | 'paid' | 'renewed' | 'lost';
  decline_code: string | null;
  payment_ref: string | null;
  paid_at: Timestamp | null;
  link_seq: Generated<number>;
  link_ref: string | null;
  link_url: string | null;
  link_next_seq: number | null;
  link_next_expires_at: Timestamp | null;
  renewed_at: Timestamp | null;
  /** the run renewing it at the registrar holds it until then (migration 025) */
  registering_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  new_expiry: Timestamp | null;
  registrar_order_id: string | null;
  registrar_tx_id: string | null;
  registrar_usd_cents: number | null;
  /** the registrar's reactivation price (USD cents) the attempt was repriced at, once in redemption (migration 021) */
  redemption_usd_cents: ColumnType<number | null, number | null | undefined, number | null>;
  /** a paid renewal of a name that had left us: its refund asked (once), the provider's refund and when (migration 024) */
  refund_requested_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  refund_ref: ColumnType<string | null, string | null | undefined, string | null>;
  refunded_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: CreatedAt;
}

// ---------- transfers out ----------

/** A domain leaving for another registrar (migration 020): requested from the space, completed when it left our account. */
export interface DomainTransfersTable {
  order_id: string;
  state: Generated<'requested' | 'completed'>;
  lock: 'removed' | 'none' | null;
  requested_at: Timestamp | null;
  completed_at: Timestamp | null;
  created_at: CreatedAt;
}

/** What a transfer out waits for (migration 024): the registrar's creation date, the last change of registrant. */
export interface TransferWindowsTable {
  order_id: string;
  registered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  registrant_changed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  updated_at: TouchedAt;
}
