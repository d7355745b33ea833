// Kysely's view of the tables src/db/migrations make: one interface per table with every column its migrations give it,
// grouped by what the tables serve. A migration that adds or changes a column changes its table's interface here.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Locale } from '../domain/locale.ts';
import type { OrderState } from '../domain/order-state.ts';
import type { PriceItem, Tier } from '../domain/pricing.ts';

/** timestamptz the code always writes */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** timestamptz defaulting to now() that an update may move */
type TouchedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** timestamptz defaulting to now(), set once */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** jsonb written as JSON text */
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;
type PaymentProvider = 'stripe' | 'paypal';

export type { PriceItem };

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

// ---------- monitoring ----------

/** One per delivered site. */
export interface MonitorsTable {
  order_id: string;
  url: string;
  enabled: Generated<boolean>;
  /** null means MONITOR_INTERVAL_SECONDS */
  interval_s: number | null;
  created_at: Generated<Date>;
  last_checked_at: Timestamp | null;
  last_status: string | null;
  last_error: string | null;
  next_check_at: Generated<Date>;
  consecutive_failures: Generated<number>;
  failing_since: Timestamp | null;
  last_ok_at: Timestamp | null;
  last_http_status: number | null;
  last_latency_ms: number | null;
  cert_expires_at: Timestamp | null;
  domain_expires_at: Timestamp | null;
  domain_checked_at: Timestamp | null;
  disabled_reason: string | null;
  disabled_at: Timestamp | null;
}

/** A site that stays down: opened after MONITOR_FAILURES_BEFORE_DOWN failed checks, closed by the first good one. */
export interface SiteIncidentsTable {
  id: Generated<string>;
  order_id: string;
  domain: string;
  /** the first failed check */
  started_at: Timestamp;
  opened_at: Generated<Date>;
  closed_at: Timestamp | null;
  failed_checks: Generated<number>;
  last_error: string | null;
  customer_notified_at: Timestamp | null;
}

/** One rule firing for one subject; at most one open per rule and subject. */
export interface AlertsTable {
  id: Generated<string>;
  rule: string;
  subject: string;
  severity: 'warning' | 'critical';
  state: Generated<'open' | 'resolved'>;
  summary: string;
  details: Json<Record<string, unknown>>;
  opened_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  resolved_at: Timestamp | null;
  open_notice: Generated<'pending' | 'held' | 'sent' | 'suppressed' | 'digested' | 'none'>;
  resolve_notice: 'pending' | 'sent' | 'suppressed' | 'digested' | 'none' | null;
  /** a held opening (reopened within the cooldown) is announced from then on, if still open */
  notify_after: Timestamp | null;
  /** a warning that became critical */
  escalate_notice: 'pending' | 'sent' | 'suppressed' | 'none' | null;
}

export interface AlertNotificationsTable {
  id: Generated<string>;
  alert_id: string | null;
  rule: string;
  kind: 'opened' | 'escalated' | 'resolved' | 'digest';
  payload: Json<Record<string, unknown>>;
  webhook_state: 'pending' | 'sent' | 'failed' | null;
  at: Generated<Date>;
}

/** A single row: when the alert rules last finished running. */
export interface AlertEvaluationsTable {
  id: Generated<number>;
  finished_at: Timestamp;
  took_ms: number;
}

export interface DailyReportsTable {
  /** YYYY-MM-DD; select it as `day::text` (node-postgres would turn a date into a local-midnight Date) */
  day: ColumnType<string, string, string>;
  time_zone: string;
  report: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

// ---------- customer satisfaction ----------

/** One per delivered or refunded order: the question put to its customer, and their last answer. */
export interface SatisfactionTable {
  order_id: string;
  asked_at: Generated<Date>;
  outcome: 'on_time' | 'late' | 'refunded';
  score: number | null;
  comment: string | null;
  answered_at: Timestamp | null;
  first_answered_at: Timestamp | null;
  answers: Generated<number>;
  reminded_at: Timestamp | null;
}

/** Addresses (lower-cased) whose customer asked not to be contacted again. */
export interface ContactOptOutsTable {
  email: string;
  order_id: string | null;
  at: Generated<Date>;
}

// ---------- terms, consent, personal data ----------

/** A published terms or privacy text, addressed by the sha256 of its content; never updated nor deleted. */
export interface LegalTextsTable {
  sha256: string;
  kind: 'terms' | 'privacy';
  version: string;
  locale: Locale;
  title: string;
  body: Json<{ heading: string; paragraphs: string[] }[]>;
  published_at: Generated<Date>;
}

/** What an order's customer accepted: the terms' version and text, when, from where, and a consumer's early-start request. */
export interface OrderConsentsTable {
  order_id: string;
  customer_type: 'consumer' | 'business';
  terms_version: string;
  terms_sha256: string;
  accepted_at: Generated<Date>;
  /** personal data: null once erased */
  client_ip: string | null;
  /** a consumer's express request that the work start within the withdrawal period (L221-25); null for a business */
  early_start_requested_at: Timestamp | null;
}

/** One erasure of a customer's personal data, by the sha256 of the address erased. */
export interface PersonalDataErasuresTable {
  id: Generated<string>;
  email_sha256: string;
  reason: 'customer' | 'retention';
  at: Generated<Date>;
  orders: number;
  order_ids: string[];
  kept: Json<unknown[]>;
}

// ---------- site content ----------

export interface SiteDocumentsTable {
  order_id: string;
  /** a SiteContent (src/site/store.ts) */
  document: ColumnType<Record<string, unknown>, string, string>;
  /** grows by one on every save; a save names the version it edited */
  version: Generated<number>;
  updated_at: Generated<Date>;
  /** the version the live site shows */
  published_version: number | null;
  published_at: Timestamp | null;
}

export interface SiteAssetsTable {
  id: string;
  order_id: string;
  kind: 'logo' | 'picture';
  content_type: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
  bytes: Buffer;
  size: number;
  width: number;
  height: number;
  sha256: string;
  /** the file name the browser gave, for display only */
  name: string | null;
  created_at: Generated<Date>;
  /** the upload's size before resizing and recompression; null for assets kept from before the column */
  original_size: number | null;
}

/** A narrower copy of a picture per width, for srcset. */
export interface SiteAssetVariantsTable {
  asset_id: string;
  width: number;
  height: number;
  bytes: Buffer;
}

/** A static site uploaded as a ZIP, kept already extracted. */
export interface SiteArchivesTable {
  order_id: string;
  /** of the uploaded ZIP */
  sha256: string;
  /** of the uploaded ZIP (bigint: node-postgres reads it as a string) */
  size: ColumnType<string, number | string, number | string>;
  files: number;
  /** uncompressed, all files together */
  content_bytes: ColumnType<string, number | string, number | string>;
  uploaded_at: Generated<Date>;
}

export interface SiteArchiveFilesTable {
  order_id: string;
  path: string;
  content: Buffer;
}

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
  expires_at: Timestamp | null;
  charge_at: Timestamp | null;
  price_cents: number | null;
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
  new_expiry: Timestamp | null;
  registrar_order_id: string | null;
  registrar_tx_id: string | null;
  registrar_usd_cents: number | null;
  /** the registrar's reactivation price (USD cents) the attempt was repriced at, once in redemption (migration 021) */
  redemption_usd_cents: ColumnType<number | null, number | null | undefined, number | null>;
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
