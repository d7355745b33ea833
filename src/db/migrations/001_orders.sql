-- Orders, their payment links, their timeline and the email outbox.

create table orders (
  id               uuid primary key,
  -- at least 128 random bits, base64url; the only key a customer holds
  tracking_token   text not null unique,
  -- the Idempotency-Key header of the request that created the order, with a hash of its body
  idempotency_key  text unique,
  request_hash     text,
  business_name    text not null,
  email            text not null,
  city             text,
  locale           text not null check (locale in ('fr', 'en')),
  domain           text not null,          -- ASCII (punycode)
  domain_unicode   text not null,
  tier             text not null check (tier in ('express', 'standard')),
  state            text not null,
  currency         text not null,
  price_items      jsonb not null,         -- [{code, amountCents}]
  total_cents      integer not null check (total_cents > 0),
  premium          boolean not null default false,
  payment_provider text not null check (payment_provider in ('stripe', 'paypal')),
  deadline_hours   integer not null,
  paid_at          timestamptz,
  deadline_at      timestamptz,            -- paid_at + deadline_hours
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index orders_state_idx on orders (state);
create index orders_created_idx on orders (created_at desc);

create table payment_links (
  id            uuid primary key,
  order_id      uuid not null references orders (id),
  seq           integer not null,          -- 1 for the first link, 2 for the first renewal, ...
  provider      text not null,
  -- null while the link is being created: the row is written first, so a retry reuses its parameters
  provider_ref  text,
  url           text,
  amount_cents  integer not null,
  currency      text not null,
  expires_at    timestamptz not null,
  state         text not null default 'creating' check (state in ('creating', 'open', 'paid', 'expired', 'superseded')),
  created_at    timestamptz not null default now(),
  unique (order_id, seq),
  unique (provider, provider_ref)
);

create table order_events (
  id        bigserial primary key,
  order_id  uuid not null references orders (id),
  type      text not null,
  -- what the message is made of; the human text is rendered at read time in the reader's language
  data      jsonb not null default '{}',
  at        timestamptz not null default clock_timestamp()
);
create index order_events_order_idx on order_events (order_id, id);

create table outbox_emails (
  id           uuid primary key,
  order_id     uuid references orders (id),
  -- one email per purpose: e.g. "confirmation:<order>", "payment-link:<order>:2"
  dedupe_key   text not null unique,
  kind         text not null,
  to_address   text not null,
  locale       text not null,
  subject      text not null,
  text_body    text not null,
  html_body    text not null,
  state        text not null default 'pending' check (state in ('pending', 'sending', 'sent', 'failed')),
  attempts     integer not null default 0,
  route        text,
  message_id   text not null,
  last_error   text,
  created_at   timestamptz not null default now(),
  sent_at      timestamptz
);
create index outbox_emails_state_idx on outbox_emails (state) where state <> 'sent';

-- Every call to a provider, with its outcome and duration (the admin's order page shows them).
create table provider_calls (
  id           bigserial primary key,
  order_id     uuid references orders (id),
  provider     text not null,
  operation    text not null,
  outcome      text not null,
  error_code   text,
  duration_ms  integer not null,
  at           timestamptz not null default now()
);
create index provider_calls_order_idx on provider_calls (order_id, id);
