-- Yearly renewals: per order, the customer's choice and saved payment method, the registration's expiry and what the
-- next year costs; one attempt per order and registration year (the exactly-once anchor of its charge and renewal).

create table renewals (
  order_id            uuid primary key references orders (id) on delete cascade,
  -- the customer's choice at the first payment (on by default), and the consent they gave for it
  auto_renew          boolean not null default true,
  consent_at          timestamptz,
  consent_version     text,
  provider            text not null check (provider in ('stripe', 'paypal')),
  -- the provider's customer and saved payment method (Stripe cus_/pm_); brand and last digits for display only
  customer_ref        text,
  payment_method_ref  text,
  card_brand          text,
  card_last4          text check (card_last4 ~ '^[0-9]{4}$'),
  -- the registration's expiry (null until delivery), the day the renewal is charged, and next year's price
  expires_at          timestamptz,
  charge_at           timestamptz,
  price_cents         integer check (price_cents >= 0),
  currency            text not null,
  -- pending (not delivered yet), scheduled, charging, paid (renewing at the registrar), dunning (declined, a link is
  -- out), grace (expired unpaid: notice page, still payable), lost (after grace: hosting removed), gone (left us)
  state               text not null default 'pending'
                      check (state in ('pending', 'scheduled', 'charging', 'paid', 'dunning', 'grace', 'lost', 'gone')),
  -- the last expiry reminder sent for the current expiry: 60, 30, 7 or 0 days before it (null: none yet)
  reminded_days       smallint,
  -- when the next payment link of dunning is due
  dunning_next_at     timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);
-- the daily scan's three set-based passes, each on its own dates
create index renewals_expiry_idx on renewals (expires_at) where state in ('scheduled', 'charging', 'paid', 'dunning', 'grace');
create index renewals_charge_idx on renewals (charge_at) where state = 'scheduled' and auto_renew;
create index renewals_dunning_idx on renewals (dunning_next_at) where state in ('dunning', 'grace');

create table renewal_attempts (
  id                  uuid primary key,
  order_id            uuid not null references orders (id) on delete cascade,
  -- the registration's expiry this attempt renews from: one attempt per order and registration year
  from_expiry         date not null,
  amount_cents        integer not null check (amount_cents >= 0),
  currency            text not null,
  -- off_session: the saved method is charged; link: a payment link is emailed (declined, no saved method, or paying late)
  method              text not null check (method in ('off_session', 'link')),
  state               text not null check (state in ('charging', 'declined', 'paid', 'renewed', 'lost')),
  decline_code        text,
  -- the payment that settled it (Stripe PaymentIntent or PayPal capture): at most one
  payment_ref         text unique,
  paid_at             timestamptz,
  -- the payment links sent, the last one's provider id and url
  link_seq            integer not null default 0,
  link_ref            text,
  link_url            text,
  -- the link being made: its sequence number and expiry, fixed before the provider is asked so a retry asks the same
  link_next_seq       integer,
  link_next_expires_at timestamptz,
  -- the registrar's renewal: the expiry it gave, its order and transaction ids, what it charged (USD cents)
  renewed_at          timestamptz,
  new_expiry          timestamptz,
  registrar_order_id  text,
  registrar_tx_id     text,
  registrar_usd_cents integer,
  created_at          timestamptz not null default now(),
  unique (order_id, from_expiry)
);
create index renewal_attempts_state_idx on renewal_attempts (state, created_at);
create index renewal_attempts_link_idx on renewal_attempts (link_ref) where link_ref is not null;
