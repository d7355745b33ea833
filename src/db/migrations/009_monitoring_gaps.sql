-- Monitoring, second pass: alert hysteresis, reopen cooldown and escalation notices, the last evaluation (dead-man's
-- switch), paused monitors, and the admin's audit log
-- (deadlines that may be fractions of an hour: 008).

-- An alert reopened soon after it resolved is 'held': its opening is announced only if it is still open at
-- notify_after (the per-subject cooldown), so a flapping subject does not flood the operators.
alter table alerts drop constraint alerts_open_notice_check;
alter table alerts add constraint alerts_open_notice_check
  check (open_notice in ('pending', 'held', 'sent', 'suppressed', 'digested', 'none'));
alter table alerts
  add column notify_after    timestamptz,
  -- a warning that became critical (deadline at risk → missed) is told once more
  add column escalate_notice text check (escalate_notice in ('pending', 'sent', 'suppressed', 'none'));
alter table alert_notifications drop constraint alert_notifications_kind_check;
alter table alert_notifications add constraint alert_notifications_kind_check
  check (kind in ('opened', 'escalated', 'resolved', 'digest'));
-- the cooldown looks up the last resolved alert of a rule and subject
create index alerts_rule_subject_idx on alerts (rule, subject, resolved_at desc);

-- When the alert rules last ran to the end: the API processes watch it (and /metrics shows it), so that workers
-- which all stopped do not go unnoticed. One row.
create table alert_evaluations (
  id          integer primary key default 1 check (id = 1),
  finished_at timestamptz not null,
  took_ms     integer not null
);

-- A monitor stops when its site is no longer ours to watch (domain expired or gone, order no longer delivered)
-- or an operator pauses it; the reason is shown in the console.
alter table monitors
  add column disabled_reason text,
  add column disabled_at     timestamptz;

-- What operators did outside an order's timeline (retrying or discarding a failed job, pausing a monitor).
create table admin_audit_log (
  id      bigserial primary key,
  at      timestamptz not null default now(),
  action  text not null,
  target  text not null,
  details jsonb not null default '{}'
);
create index admin_audit_log_at_idx on admin_audit_log (at desc);
