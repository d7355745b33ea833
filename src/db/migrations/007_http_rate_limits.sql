-- The HTTP rate limits' counters, one row per route (or named limit) and client address, shared by every API process
-- (src/http/rate-limits.ts). Unlogged: a counter needs no crash safety, and a write that makes no WAL does not wait
-- for a disk flush at commit. Rows whose window is over are deleted now and then by the API processes.
create unlogged table http_rate_limits (
  key        text primary key,
  hits       integer not null,
  resets_at  timestamptz not null
);
