-- The 60-day transfer window (src/domain/transfer-rules.ts) and the refund of a renewal paid for a name that had left.

-- What a transfer out waits for, per order: the registrar's creation date of the name as domains.getInfo last gave it,
-- and the last material change of the registrant made from the space (ICANN's Change of Registrant), each counted from.
create table transfer_windows (
  order_id              uuid primary key references orders (id) on delete cascade,
  registered_at         timestamptz,
  registrant_changed_at timestamptz,
  updated_at            timestamptz not null default now()
);

-- A paid renewal of a name no longer in our account goes back: asked once (the job queued in the same transaction),
-- refunded under the attempt's own idempotency key, its refund recorded once.
alter table renewal_attempts
  add column refund_requested_at timestamptz,
  add column refund_ref          text unique,
  add column refunded_at         timestamptz;
