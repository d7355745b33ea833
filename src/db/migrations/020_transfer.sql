-- Transfers out: the customer takes their domain to another registrar. One row per order: the request (the registrar
-- lock removed, or none at the TLD; automatic renewal turned off), then its completion when the name leaves our account.

create table domain_transfers (
  order_id      uuid primary key references orders (id) on delete cascade,
  -- requested: unlocked, the transfer code to reach the holder; completed: the name left our registrar account
  state         text not null default 'requested' check (state in ('requested', 'completed')),
  -- removed: we took the registrar lock off; none: the TLD has no registrar lock (the transfer code alone authorises it)
  lock          text check (lock in ('removed', 'none')),
  requested_at  timestamptz,
  completed_at  timestamptz,
  created_at    timestamptz not null default now()
);
create index domain_transfers_state_idx on domain_transfers (state, created_at);
