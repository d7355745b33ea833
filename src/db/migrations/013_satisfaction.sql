-- Customer satisfaction: each delivered or refunded order is asked once, its customer's last answer counts. And the
-- addresses that asked not to be contacted again.

create table satisfaction (
  order_id          uuid primary key references orders (id),
  -- when the question was first put (the delivery or the refund): the window of the response rate
  asked_at          timestamptz not null default now(),
  -- what the customer got: delivered by the deadline, delivered after it, or refunded
  outcome           text not null check (outcome in ('on_time', 'late', 'refunded')),
  score             smallint check (score between 1 and 5),
  -- shown to operators with the order, never published
  comment           text check (length(comment) <= 1000),
  -- the last answer (the one that counts) and the first (answers may change for a while after it)
  answered_at       timestamptz,
  first_answered_at timestamptz,
  answers           integer not null default 0,
  -- the one reminder, if it was sent
  reminded_at       timestamptz,
  check ((score is null) = (answered_at is null)),
  check ((answered_at is null) = (first_answered_at is null))
);
create index satisfaction_answered_idx on satisfaction (answered_at) where answered_at is not null;
create index satisfaction_asked_idx on satisfaction (asked_at);
-- the reminder's scan: unanswered, not yet reminded, by when they were asked
create index satisfaction_unanswered_idx on satisfaction (asked_at) where answered_at is null and reminded_at is null;

create table contact_opt_outs (
  -- lower-cased: one customer, whatever the case they typed it in on each order
  email     text primary key check (email = lower(email)),
  -- the order whose link was used
  order_id  uuid references orders (id),
  at        timestamptz not null default now()
);
