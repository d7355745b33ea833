-- Terms of sale and privacy policy as published, what each order accepted, and personal data erasures.

-- Every text ever published, addressed by the sha256 of its content: a version's text is kept as it was shown, so that
-- what a customer accepted can be shown again years later (Code de la consommation L213-1: a contract concluded
-- electronically for 120 € or more is kept 10 years and shown to the customer on request).
create table legal_texts (
  sha256       text primary key,
  kind         text not null check (kind in ('terms', 'privacy')),
  version      text not null,
  locale       text not null check (locale in ('fr', 'en')),
  title        text not null,
  -- [{heading, paragraphs[]}], as src/legal/ writes it
  body         jsonb not null,
  published_at timestamptz not null default clock_timestamp()
);
create index legal_texts_latest on legal_texts (kind, version, locale, published_at desc);

-- a published text never changes nor goes: corrections are new texts
create function legal_texts_frozen() returns trigger language plpgsql as $$
begin
  raise exception 'legal_texts are immutable (% of %)', tg_op, old.sha256 using errcode = 'restrict_violation';
end $$;
create trigger legal_texts_frozen before update or delete on legal_texts for each row execute function legal_texts_frozen();

-- What the customer accepted with the order: the terms (version and exact text), when, from which address, and the
-- consumer's express request that the work start within the 14-day withdrawal period (Code de la consommation L221-25,
-- with the acknowledgement L221-28 1° requires). The address is personal data: erasure removes it, the rest is the
-- contract's proof.
create table order_consents (
  order_id                 uuid primary key references orders (id) on delete cascade,
  customer_type            text not null check (customer_type in ('consumer', 'business')),
  terms_version            text not null,
  terms_sha256             text not null references legal_texts (sha256),
  accepted_at              timestamptz not null default clock_timestamp(),
  client_ip                text,
  early_start_requested_at timestamptz,
  -- a consumer's order is performed at once only on their express request
  check (customer_type = 'business' or early_start_requested_at is not null)
);

-- An order whose personal data was erased (on request, or past its retention period): what is left is what the law or
-- the exactly-once guarantees need.
alter table orders add column erased_at timestamptz;
create index orders_unpaid_retention on orders (created_at) where erased_at is null and paid_at is null;
create index orders_email_lower on orders (lower(email));

-- Each erasure, without the address it erased (its sha256 only, to answer a repeated request the same way).
create table personal_data_erasures (
  id           bigserial primary key,
  email_sha256 text not null,
  reason       text not null check (reason in ('customer', 'retention')),
  at           timestamptz not null default clock_timestamp(),
  orders       integer not null,
  order_ids    uuid[] not null,
  -- what was kept and why (src/legal/retention.ts), as said to the customer
  kept         jsonb not null default '[]'
);
create index personal_data_erasures_email on personal_data_erasures (email_sha256, at desc);
create index personal_data_erasures_orders on personal_data_erasures using gin (order_ids);

-- the audit log also records the erasures a customer asked for and those of the retention job
alter table admin_audit_log drop constraint admin_audit_log_actor_check;
alter table admin_audit_log add constraint admin_audit_log_actor_check check (actor in ('console', 'api', 'customer', 'retention'));
