-- The customer's space: sign-in links sent by email and the sessions they open. Both keep only a SHA-256 digest of the
-- secret the customer holds, so a copy of the database signs nobody in.

create table account_sign_in_links (
  token_hash  text primary key,
  -- lower-cased: the address the link was asked for (every order of that address is the customer's)
  email       text not null check (email = lower(email)),
  locale      text not null check (locale in ('fr', 'en')),
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  -- set once, by the statement that exchanges the link for a session: a second use finds it set
  used_at     timestamptz
);
create index account_sign_in_links_email_idx on account_sign_in_links (email, created_at);
create index account_sign_in_links_expires_idx on account_sign_in_links (expires_at);

create table account_sessions (
  id_hash     text primary key,
  email       text not null check (email = lower(email)),
  csrf_token  text not null,
  created_at  timestamptz not null default now(),
  -- sliding: moved forward on use, never past created_at + the session's longest life
  expires_at  timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index account_sessions_expires_idx on account_sessions (expires_at);

-- every order of an address, whatever the case it was typed in
create index orders_email_lower_idx on orders (lower(email), created_at desc);
