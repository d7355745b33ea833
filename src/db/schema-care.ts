// Kysely's view of the tables of a delivered site's care: monitoring and alerts, satisfaction, terms and consent,
// personal data, site content (the rest of the tables: src/db/schema.ts).
import type { ColumnType, Generated } from 'kysely';
import type { Locale } from '../domain/locale.ts';
import type { Json, Timestamp } from './columns.ts';

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
