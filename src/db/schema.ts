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
  payment_ref: ColumnType<string | null, string | null | undefined, string | null>;
  paid_cents: ColumnType<number | null, number | null | undefined, number | null>;
  site_id: ColumnType<string | null, string | null | undefined, string | null>;
  site_name: ColumnType<string | null, string | null | undefined, string | null>;
  site_domain: ColumnType<string | null, string | null | undefined, string | null>;
  registrar_domain_id: ColumnType<string | null, string | null | undefined, string | null>;
  refund_id: ColumnType<string | null, string | null | undefined, string | null>;
  failure_code: ColumnType<string | null, string | null | undefined, string | null>;
  delivered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  report: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  current_step: ColumnType<string | null, string | null | undefined, string | null>;
  alternatives: ColumnType<unknown[] | null, string | null | undefined, string | null>;
  domain_claimed: Generated<boolean>;
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

export interface OrderStepsTable {
  order_id: string;
  step: string;
  state: 'running' | 'waiting' | 'done' | 'failed' | 'compensated';
  attempts: Generated<number>;
  failures: Generated<number>;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
  output: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  compensation: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  last_error: string | null;
}

export interface WorkerHeartbeatsTable {
  worker_id: string;
  process_id: string;
  host: string;
  pid: number;
  last_seen: Generated<Date>;
}

export interface RateLimitBucketsTable {
  bucket: string;
  tokens: number;
  updated_at: Generated<Date>;
}

export interface MonitorsTable {
  order_id: string;
  url: string;
  enabled: Generated<boolean>;
  /** 004: null means MONITOR_INTERVAL_SECONDS */
  interval_s: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Generated<Date>;
  last_checked_at: Timestamp | null;
  last_status: string | null;
  last_error: string | null;
}

export interface AdminSessionsTable {
  id_hash: string;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

// ---- 005_sites.sql: the editor's document, its pictures, an uploaded static-site archive ----

export interface SiteDocumentsTable {
  order_id: string;
  /** a SiteContent (src/site/store.ts); written as JSON text */
  document: ColumnType<Record<string, unknown>, string, string>;
  version: Generated<number>;
  updated_at: Generated<Date>;
  published_version: ColumnType<number | null, number | null | undefined, number | null>;
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
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
  name: string | null;
  created_at: Generated<Date>;
}

export interface SiteArchivesTable {
  order_id: string;
  sha256: string;
  size: ColumnType<string, number | string, number | string>;
  files: number;
  content_bytes: ColumnType<string, number | string, number | string>;
  uploaded_at: Generated<Date>;
}

export interface SiteArchiveFilesTable {
  order_id: string;
  path: string;
  content: Buffer;
}

// ---- 006_site_asset_variants.sql: pictures made ready for the web, with their narrower copies ----

/** The column 006 adds to `site_assets` (SiteAssetsTable above is 005's). */
export interface SiteAssetsTable006 {
  /** the upload's size before resizing and recompression; null for assets kept before 006 */
  original_size: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface SiteAssetVariantsTable {
  asset_id: string;
  width: number;
  height: number;
  bytes: Buffer;
}

// ---- 004_monitoring.sql: alerts, notices, rejected webhooks, site incidents, daily reports ----

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
  /** 008: a held opening (reopened within the cooldown) is announced from then on, if still open */
  notify_after: Timestamp | null;
  /** 008: a warning that became critical */
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

export interface WebhookRejectionsTable {
  provider: string;
  second: Timestamp;
  reason: string;
  count: Generated<number>;
}

/** The columns 004 adds to `monitors` (MonitorsTable above is 002's). */
export interface MonitorsTable004 {
  next_check_at: Generated<Date>;
  consecutive_failures: Generated<number>;
  failing_since: Timestamp | null;
  last_ok_at: Timestamp | null;
  last_http_status: number | null;
  last_latency_ms: number | null;
  cert_expires_at: Timestamp | null;
  domain_expires_at: Timestamp | null;
  domain_checked_at: Timestamp | null;
}

/** The columns 008 adds to `monitors`. */
export interface MonitorsTable008 {
  disabled_reason: string | null;
  disabled_at: Timestamp | null;
}

// ---- 009_monitoring_gaps.sql ----

export interface AlertEvaluationsTable {
  id: Generated<number>;
  finished_at: Timestamp;
  took_ms: number;
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

export interface SiteIncidentsTable {
  id: Generated<string>;
  order_id: string;
  domain: string;
  started_at: Timestamp;
  opened_at: Generated<Date>;
  closed_at: Timestamp | null;
  failed_checks: Generated<number>;
  last_error: string | null;
  customer_notified_at: Timestamp | null;
}

export interface DailyReportsTable {
  /** YYYY-MM-DD; select it as `day::text` (node-postgres would turn a date into a local-midnight Date) */
  day: ColumnType<string, string, string>;
  time_zone: string;
  report: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface DB {
  admin_sessions: AdminSessionsTable;
  webhook_events: WebhookEventsTable;
  order_steps: OrderStepsTable;
  worker_heartbeats: WorkerHeartbeatsTable;
  rate_limit_buckets: RateLimitBucketsTable;
  monitors: MonitorsTable & MonitorsTable004 & MonitorsTable008;
  orders: OrdersTable;
  payment_links: PaymentLinksTable;
  order_events: OrderEventsTable;
  outbox_emails: OutboxEmailsTable;
  provider_calls: ProviderCallsTable;
  // 005_sites.sql
  site_documents: SiteDocumentsTable;
  site_assets: SiteAssetsTable & SiteAssetsTable006;
  site_archives: SiteArchivesTable;
  site_archive_files: SiteArchiveFilesTable;
  // 006_site_asset_variants.sql
  site_asset_variants: SiteAssetVariantsTable;
  // 004_monitoring.sql
  alerts: AlertsTable;
  alert_notifications: AlertNotificationsTable;
  webhook_rejections: WebhookRejectionsTable;
  site_incidents: SiteIncidentsTable;
  daily_reports: DailyReportsTable;
  // 009_monitoring_gaps.sql
  alert_evaluations: AlertEvaluationsTable;
  admin_audit_log: AdminAuditLogTable;
}

export type Order = Selectable<OrdersTable>;
export type NewOrder = Insertable<OrdersTable>;
export type PaymentLinkRow = Selectable<PaymentLinksTable>;
export type OrderEvent = Selectable<OrderEventsTable>;
export type OutboxEmail = Selectable<OutboxEmailsTable>;
