-- Invoices and credit notes: one counter row per series, documents that never change once issued, the billing
-- identity and VAT case of each order, operators' and customers' refunds, and email attachments.

-- The customer's billing identity as the order was placed (the holder's unless another was given) and its VAT case and
-- amounts: personal data, kept apart from the order row.
create table order_billing (
  order_id   uuid primary key references orders (id) on delete cascade,
  identity   jsonb not null,
  tax        jsonb not null,
  created_at timestamptz not null default now()
);

-- One row a series. Numbers come from `update ... set next = next + 1 returning`, in the transaction that records the
-- payment or the refund: a rollback takes its number back with it (a sequence would not), and the row lock orders
-- the documents of concurrent transactions, so numbers are continuous and follow the issue times.
create table document_counters (
  series text primary key check (series in ('invoice', 'credit_note')),
  prefix text not null,
  next   bigint not null check (next >= 1)
);
insert into document_counters (series, prefix, next) values ('invoice', 'F', 1), ('credit_note', 'AV', 1);

-- A counter only moves forward, one at a time.
create function document_counters_forward() returns trigger language plpgsql as $$
begin
  if new.next <> old.next + 1 or new.series <> old.series or new.prefix <> old.prefix then
    raise exception 'document counter % may only move to its next number', old.series using errcode = 'check_violation';
  end if;
  return new;
end $$;
create trigger document_counters_forward before update on document_counters for each row execute function document_counters_forward();
create function document_counters_kept() returns trigger language plpgsql as $$
begin
  raise exception 'document counters are never removed' using errcode = 'check_violation';
end $$;
create trigger document_counters_kept before delete or truncate on document_counters for each statement execute function document_counters_kept();

create table invoices (
  id                   uuid primary key,
  kind                 text not null check (kind in ('invoice', 'credit_note')),
  seq                  bigint not null,
  number               text not null unique,
  order_id             uuid not null references orders (id),
  -- a credit note's invoice
  invoice_id           uuid references invoices (id),
  -- the payment an invoice records, or the refund a credit note records (provider's id, or ours before it answers)
  payment_ref          text not null,
  provider             text not null,
  issued_at            timestamptz not null,
  locale               text not null,
  currency             text not null,
  customer_kind        text not null check (customer_kind in ('consumer', 'business')),
  vat_case             text not null,
  seller               jsonb not null,
  buyer                jsonb not null,
  lines                jsonb not null,
  vat_breakdown        jsonb not null,
  total_excl_vat_cents bigint not null,
  vat_cents            bigint not null,
  total_incl_vat_cents bigint not null,
  mentions             jsonb not null,
  -- when and how it was paid (invoice) or refunded (credit note)
  settled_at           timestamptz not null,
  reason               text,
  unique (kind, seq),
  check ((kind = 'credit_note') = (invoice_id is not null)),
  check (total_excl_vat_cents + vat_cents = total_incl_vat_cents),
  check (total_incl_vat_cents >= 0)
);
-- exactly one invoice per captured payment, one credit note per refund
create unique index invoices_one_per_payment on invoices (payment_ref) where kind = 'invoice';
create unique index credit_notes_one_per_refund on invoices (payment_ref) where kind = 'credit_note';
create index invoices_order_idx on invoices (order_id);
create index invoices_issued_idx on invoices (issued_at desc, id desc);
create index invoices_buyer_email_idx on invoices (lower(buyer->>'email'));

-- An issued document never changes and is never removed: corrections go through credit notes.
create function invoices_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'invoice % is issued: it cannot be changed or removed (issue a credit note)', old.number using errcode = 'check_violation';
end $$;
create trigger invoices_immutable before update or delete on invoices for each row execute function invoices_immutable();
create function invoices_not_truncated() returns trigger language plpgsql as $$
begin
  raise exception 'issued invoices are never removed' using errcode = 'check_violation';
end $$;
create trigger invoices_not_truncated before truncate on invoices for each statement execute function invoices_not_truncated();

-- Each document's PDF as first rendered, sent and downloaded ever after (a later renderer never changes a sent one).
create table invoice_files (
  invoice_id uuid primary key references invoices (id),
  pdf        bytea not null,
  facturx    boolean not null,
  created_at timestamptz not null default now()
);
create function invoice_files_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'a document''s file is kept as first rendered' using errcode = 'check_violation';
end $$;
create trigger invoice_files_immutable before update or delete on invoice_files for each row execute function invoice_files_immutable();

-- Refunds after payment that do not end the order: an operator's partial or full refund of a delivered order, a
-- consumer's withdrawal. The row comes first (its id is the provider's idempotency key), the credit note with the
-- provider's answer.
create table order_refunds (
  id            uuid primary key,
  order_id      uuid not null references orders (id),
  kind          text not null check (kind in ('operator', 'withdrawal')),
  amount_cents  bigint not null check (amount_cents > 0),
  reason        text,
  requested_by  text,
  state         text not null default 'pending' check (state in ('pending', 'refunded')),
  refund_id     text,
  created_at    timestamptz not null default now(),
  refunded_at   timestamptz
);
create index order_refunds_order_idx on order_refunds (order_id);
-- one withdrawal per order
create unique index order_refunds_one_withdrawal on order_refunds (order_id) where kind = 'withdrawal';

-- An email may carry documents, attached when it is sent.
alter table outbox_emails add column attachments jsonb;

create or replace function queue_email(p_email jsonb) returns uuid
language sql as $$
  with queued as (
    insert into outbox_emails (id, order_id, dedupe_key, kind, to_address, locale, subject, text_body, html_body, message_id, attachments)
    select r.id, r.order_id, r.dedupe_key, r.kind, r.to_address, r.locale, r.subject, r.text_body, r.html_body, r.message_id, r.attachments
      from jsonb_populate_record(null::outbox_emails, p_email) r
    on conflict (dedupe_key) do nothing
    returning id
  )
  select queued.id from queued cross join lateral enqueue_job('send_email', jsonb_build_object('emailId', queued.id)) as job;
$$;
