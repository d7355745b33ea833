-- Monitoring: alerts and their notices, rejected webhooks, site checks and incidents, daily reports.

-- An alert is one rule firing for one subject (a provider, an order, a domain). At most one is
-- open per rule and subject: the engine upserts into this index, so two evaluations never open two.
create table alerts (
  id             bigserial primary key,
  rule           text not null,
  subject        text not null,
  severity       text not null check (severity in ('warning', 'critical')),
  state          text not null default 'open' check (state in ('open', 'resolved')),
  summary        text not null,
  details        jsonb not null default '{}',
  opened_at      timestamptz not null default now(),
  last_seen_at   timestamptz not null default now(),
  resolved_at    timestamptz,
  -- pending until sent; suppressed when the rule's hourly budget was spent (a digest then says so);
  -- none when nobody needs telling (resolved before its opening was ever announced)
  open_notice    text not null default 'pending' check (open_notice in ('pending', 'sent', 'suppressed', 'digested', 'none')),
  resolve_notice text check (resolve_notice in ('pending', 'sent', 'suppressed', 'digested', 'none'))
);
create unique index alerts_one_open on alerts (rule, subject) where state = 'open';
create index alerts_opened_idx on alerts (opened_at desc);
-- the notices still to send, or held back for the next digest
create index alerts_unsent_idx on alerts (rule, id)
  where open_notice in ('pending', 'suppressed') or resolve_notice in ('pending', 'suppressed');

-- Every notice sent (email through the outbox, JSON webhook through a job): the rate limit counts these.
create table alert_notifications (
  id            bigserial primary key,
  alert_id      bigint references alerts (id),
  rule          text not null,
  kind          text not null check (kind in ('opened', 'resolved', 'digest')),
  payload       jsonb not null,
  webhook_state text check (webhook_state in ('pending', 'sent', 'failed')),
  at            timestamptz not null default now()
);
create index alert_notifications_rule_idx on alert_notifications (rule, at desc);

-- Webhooks refused before storage (bad signature, stale, too large), counted per second: the
-- spike alert reads them from any process, and a flood costs one row per second, not per request.
create table webhook_rejections (
  provider  text not null,
  second    timestamptz not null,
  reason    text not null,
  count     integer not null default 1,
  primary key (provider, second, reason)
);

-- The rules, the admin's figures and the daily report read calls, failures, refunds and orders by time.
create index provider_calls_at_idx on provider_calls (at);
create index order_events_outcome_idx on order_events (type, at) where type in ('order_failed', 'refunded');
create index orders_paid_at_idx on orders (paid_at) where paid_at is not null;
create index orders_delivered_at_idx on orders (delivered_at) where delivered_at is not null;

-- Monitors (one per delivered site, made by the deliver step) gain a schedule and their last results.
alter table monitors
  -- null: MONITOR_INTERVAL_SECONDS; a number overrides it for one site
  alter column interval_s drop not null,
  alter column interval_s set default null,
  add column next_check_at        timestamptz not null default now(),
  add column consecutive_failures integer not null default 0,
  add column failing_since        timestamptz,
  add column last_ok_at           timestamptz,
  add column last_http_status     integer,
  add column last_latency_ms      integer,
  add column cert_expires_at      timestamptz,
  add column domain_expires_at    timestamptz,
  add column domain_checked_at    timestamptz;
-- check batches take the most overdue monitors first (FOR UPDATE SKIP LOCKED)
create index monitors_due_idx on monitors (next_check_at) where enabled;
-- and the registrar's expiry dates, least recently asked first
create index monitors_domain_due_idx on monitors (domain_checked_at nulls first) where enabled;

-- A site that stays down: opened after MONITOR_FAILURES_BEFORE_DOWN failed checks, closed by the first good one.
create table site_incidents (
  id                   bigserial primary key,
  order_id             uuid not null references orders (id),
  domain               text not null,
  started_at           timestamptz not null,    -- the first failed check
  opened_at            timestamptz not null default now(),
  closed_at            timestamptz,
  failed_checks        integer not null default 0,
  last_error           text,
  customer_notified_at timestamptz
);
create unique index site_incidents_one_open on site_incidents (order_id) where closed_at is null;
create index site_incidents_started_idx on site_incidents (started_at);

-- One report per day (in REPORT_TIME_ZONE), whichever worker makes it first.
create table daily_reports (
  day        date primary key,
  time_zone  text not null,
  report     jsonb not null,
  created_at timestamptz not null default now()
);
