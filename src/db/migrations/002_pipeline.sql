-- The pipeline: verified webhooks, each order's steps, worker heartbeats, the shared rate limiter, monitors.

alter table orders
  add column payment_ref     text,          -- Stripe payment_intent or PayPal capture id
  add column paid_cents      integer,
  add column site_id         text,
  add column site_name       text,
  add column site_domain     text,          -- the host's own name for the site (<name>.netlify.app)
  add column registrar_domain_id text,
  add column refund_id       text,
  add column failure_code    text,
  add column delivered_at    timestamptz,
  add column report          jsonb,
  -- the step the order is at (or waits on), for the timeline's "current" and the sweeper
  add column current_step    text,
  add column alternatives    jsonb;        -- offered when the domain was taken at purchase time

create table webhook_events (
  id           bigserial primary key,
  provider     text not null,
  event_id     text not null,
  type         text not null,
  payload      jsonb not null,
  received_at  timestamptz not null default now(),
  processed_at timestamptz,
  outcome      text,
  unique (provider, event_id)
);

create table order_steps (
  order_id     uuid not null references orders (id),
  step         text not null,
  state        text not null check (state in ('running', 'waiting', 'done', 'failed', 'compensated')),
  attempts     integer not null default 0,   -- runs, waits included
  failures     integer not null default 0,   -- transient failures, bounded by the step's maxAttempts
  started_at   timestamptz not null default now(),
  finished_at  timestamptz,
  output       jsonb,
  -- what the step's compensation needs to undo it
  compensation jsonb,
  last_error   text,
  primary key (order_id, step)
);

-- Workers write a heartbeat; the sweeper frees the jobs of workers whose heartbeat is stale.
create table worker_heartbeats (
  worker_id    text primary key,
  process_id   text not null,
  host         text not null,
  pid          integer not null,
  last_seen    timestamptz not null default now()
);

-- A token bucket per provider limit, shared by every process.
create table rate_limit_buckets (
  bucket       text primary key,
  tokens       double precision not null,
  updated_at   timestamptz not null default clock_timestamp()
);

create table monitors (
  order_id       uuid primary key references orders (id),
  url            text not null,
  enabled        boolean not null default true,
  interval_s     integer not null default 300,
  created_at     timestamptz not null default now(),
  last_checked_at timestamptz,
  last_status    text,
  last_error     text
);

-- A domain is claimed by at most one order at a time, so two paid orders for one name never both "own" it.
alter table orders add column domain_claimed boolean not null default false;
create unique index orders_domain_claim on orders (domain) where domain_claimed;
