// Kysely's view of the tables src/db/migrations make: one interface per table with every column its migrations give it,
// grouped by what the tables serve (the care of a delivered site: schema-care.ts; money and the year after delivery:
// schema-billing.ts). A migration that adds or changes a column changes its table's interface there.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Locale } from '../domain/locale.ts';
import type { OrderState } from '../domain/order-state.ts';
import type { PriceItem, Tier } from '../domain/pricing.ts';
import type { CreatedAt, Json, NullableJson, PaymentProvider, Timestamp, TouchedAt } from './columns.ts';
import type {
  AlertEvaluationsTable,
  AlertNotificationsTable,
  AlertsTable,
  ContactOptOutsTable,
  DailyReportsTable,
  LegalTextsTable,
  MonitorsTable,
  OrderConsentsTable,
  PersonalDataErasuresTable,
  SatisfactionTable,
  SiteArchiveFilesTable,
  SiteArchivesTable,
  SiteAssetVariantsTable,
  SiteAssetsTable,
  SiteDocumentsTable,
  SiteIncidentsTable,
} from './schema-care.ts';
import type {
  AccountSessionsTable,
  AccountSignInLinksTable,
  DocumentCountersTable,
  DomainTransfersTable,
  InvoiceFilesTable,
  InvoicesTable,
  OrderBillingTable,
  OrderHoldersTable,
  OrderRefundsTable,
  RenewalAttemptsTable,
  RenewalsTable,
  TransferWindowsTable,
} from './schema-billing.ts';

export type { PriceItem };
export * from './schema-care.ts';
export * from './schema-billing.ts';

// ---------- orders and payments ----------

export interface OrdersTable {
  id: string;
  /** at least 128 random bits, base64url: the only key a customer holds */
  tracking_token: string;
  /** the Idempotency-Key of the request that created the order, and a hash of its body */
  idempotency_key: string | null;
  request_hash: string | null;
  business_name: string;
  email: string;
  city: string | null;
  locale: Locale;
  /** ASCII (punycode) */
  domain: string;
  domain_unicode: string;
  tier: Tier;
  state: OrderState;
  currency: string;
  price_items: Json<PriceItem[]>;
  total_cents: number;
  premium: Generated<boolean>;
  /** a premium name's renewal and restore prices as the registrar quoted them, US cents (migration 022) */
  premium_renewal_usd_cents: ColumnType<number | null, number | null | undefined, number | null>;
  premium_restore_usd_cents: ColumnType<number | null, number | null | undefined, number | null>;
  /** the domain's yearly renewal in our currency, as the customer was told it (null: the first-year line) */
  renewal_domain_cents: ColumnType<number | null, number | null | undefined, number | null>;
  payment_provider: PaymentProvider;
  /** double precision: deadlines may be fractions of an hour */
  deadline_hours: number;
  paid_at: Timestamp | null;
  /** paid_at + deadline_hours */
  deadline_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: TouchedAt;
  /** Stripe payment_intent or PayPal capture id */
  payment_ref: string | null;
  paid_cents: number | null;
  site_id: string | null;
  site_name: string | null;
  /** the host's own name for the site (<name>.netlify.app) */
  site_domain: string | null;
  registrar_domain_id: string | null;
  refund_id: string | null;
  failure_code: string | null;
  delivered_at: Timestamp | null;
  report: NullableJson<Record<string, unknown>>;
  /** the step the order is at (or waits on) */
  current_step: string | null;
  /** offered when the domain was taken at purchase time */
  alternatives: NullableJson<unknown[]>;
  /** its personal data was erased (on request or past its retention period): src/legal/erasure.ts */
  erased_at: Timestamp | null;
  /** at most one order claims a domain at a time (a partial unique index) */
  domain_claimed: Generated<boolean>;
}

export interface PaymentLinksTable {
  id: string;
  order_id: string;
  /** 1 for the first link, 2 for the first renewal, ... */
  seq: number;
  provider: PaymentProvider;
  /** null while the link is being created: the row comes first, so a retry reuses its parameters */
  provider_ref: string | null;
  url: string | null;
  amount_cents: number;
  currency: string;
  expires_at: Timestamp;
  /** processing: paid by a delayed method (SEPA Debit), the money not arrived yet; failed: such a payment refused (migration 015) */
  state: Generated<'creating' | 'open' | 'processing' | 'paid' | 'failed' | 'expired' | 'superseded'>;
  created_at: CreatedAt;
}

export interface OrderEventsTable {
  id: Generated<string>;
  order_id: string;
  type: string;
  /** what the message is made of; the text is rendered at read time in the reader's language */
  data: Json<Record<string, unknown>>;
  at: Generated<Date>;
}

export interface WebhookEventsTable {
  id: Generated<string>;
  provider: string;
  event_id: string;
  type: string;
  payload: Json<Record<string, unknown>>;
  received_at: Generated<Date>;
  processed_at: Timestamp | null;
  outcome: string | null;
}

/** Webhooks refused before storage, counted per provider, second and reason. */
export interface WebhookRejectionsTable {
  provider: string;
  second: Timestamp;
  reason: string;
  count: Generated<number>;
}

// ---------- the pipeline ----------

export interface OrderStepsTable {
  order_id: string;
  step: string;
  state: 'running' | 'waiting' | 'done' | 'failed' | 'compensated';
  /** runs, waits included */
  attempts: Generated<number>;
  /** transient failures, bounded by the step's attempts */
  failures: Generated<number>;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
  output: NullableJson<Record<string, unknown>>;
  /** what the step's compensation needs to undo it */
  compensation: NullableJson<Record<string, unknown>>;
  last_error: string | null;
}

export interface OutboxEmailsTable {
  id: string;
  order_id: string | null;
  /** one email per purpose, e.g. "confirmation:<order>" */
  dedupe_key: string;
  kind: string;
  to_address: string;
  locale: Locale;
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
  /** documents attached when it is sent: [{ invoiceId }] */
  attachments: NullableJson<{ invoiceId: string }[]>;
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

export interface WorkerHeartbeatsTable {
  worker_id: string;
  process_id: string;
  host: string;
  pid: number;
  last_seen: Generated<Date>;
}

/** A token bucket per provider limit, shared by every process. */
export interface RateLimitBucketsTable {
  bucket: string;
  tokens: number;
  updated_at: Generated<Date>;
}

/** The registrar's calls of the last day, counted per minute, hour and day by every process (migration 014). */
export interface RegistrarCallsTable {
  bucket: string;
  at: Generated<Date>;
  priority: number;
}

/** Names waiting for the registrar's coalesced domains.check, and its answers for a while. */
export interface RegistrarChecksTable {
  domain: string;
  priority: number;
  asked_at: Generated<Date>;
  claimed_until: Date | null;
  answer: NullableJson<unknown>;
  answered_at: Date | null;
}

/** Where the walk through the account's domain list (expiry dates) stands. */
export interface DomainExpirySweepTable {
  id: number;
  started_at: Date | null;
  next_page: number;
  finished_at: Date | null;
  pages: number;
}

/** The HTTP rate limits' counters (unlogged), one row per limit and client address. */
export interface HttpRateLimitsTable {
  key: string;
  hits: number;
  resets_at: Timestamp;
}

// ---------- the admin console ----------

export interface AdminSessionsTable {
  /** sha256 of the cookie value; the value itself is never stored */
  id_hash: string;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface AdminAuditLogTable {
  id: Generated<string>;
  at: Generated<Date>;
  action: string;
  target: string;
  details: Json<Record<string, unknown>>;
  /** 'console' (a signed-in session) or 'api' (the admin token); null on entries older than the column */
  actor: string | null;
}

export interface DB {
  orders: OrdersTable;
  order_holders: OrderHoldersTable;
  registrar_calls: RegistrarCallsTable;
  registrar_checks: RegistrarChecksTable;
  domain_expiry_sweep: DomainExpirySweepTable;
  payment_links: PaymentLinksTable;
  order_events: OrderEventsTable;
  webhook_events: WebhookEventsTable;
  webhook_rejections: WebhookRejectionsTable;
  order_steps: OrderStepsTable;
  outbox_emails: OutboxEmailsTable;
  provider_calls: ProviderCallsTable;
  worker_heartbeats: WorkerHeartbeatsTable;
  rate_limit_buckets: RateLimitBucketsTable;
  http_rate_limits: HttpRateLimitsTable;
  admin_sessions: AdminSessionsTable;
  admin_audit_log: AdminAuditLogTable;
  monitors: MonitorsTable;
  site_incidents: SiteIncidentsTable;
  alerts: AlertsTable;
  alert_notifications: AlertNotificationsTable;
  alert_evaluations: AlertEvaluationsTable;
  daily_reports: DailyReportsTable;
  satisfaction: SatisfactionTable;
  contact_opt_outs: ContactOptOutsTable;
  site_documents: SiteDocumentsTable;
  site_assets: SiteAssetsTable;
  site_asset_variants: SiteAssetVariantsTable;
  site_archives: SiteArchivesTable;
  site_archive_files: SiteArchiveFilesTable;
  renewals: RenewalsTable;
  renewal_attempts: RenewalAttemptsTable;
  domain_transfers: DomainTransfersTable;
  transfer_windows: TransferWindowsTable;
  order_billing: OrderBillingTable;
  document_counters: DocumentCountersTable;
  invoices: InvoicesTable;
  invoice_files: InvoiceFilesTable;
  order_refunds: OrderRefundsTable;
  account_sign_in_links: AccountSignInLinksTable;
  account_sessions: AccountSessionsTable;
  legal_texts: LegalTextsTable;
  order_consents: OrderConsentsTable;
  personal_data_erasures: PersonalDataErasuresTable;
}

export type Order = Selectable<OrdersTable>;
export type NewOrder = Insertable<OrdersTable>;
export type PaymentLinkRow = Selectable<PaymentLinksTable>;
export type OrderEvent = Selectable<OrderEventsTable>;
export type OutboxEmail = Selectable<OutboxEmailsTable>;
export type Renewal = Selectable<RenewalsTable>;
export type RenewalAttempt = Selectable<RenewalAttemptsTable>;
export type DomainTransfer = Selectable<DomainTransfersTable>;
export type InvoiceRow = Selectable<InvoicesTable>;
