-- Admin console sessions (shared by every API process).
create table admin_sessions (
  id_hash     text primary key,       -- sha256 of the cookie value; the value itself is never stored
  csrf_token  text not null,
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null
);
