-- The admin lists page by keyset: each list's sort key, then its id. Each sort has an index that ends in the id, so a
-- page deep in the list is an index range scan, and the capped count (at most 10,001 rows) reads the same index.
drop index orders_created_idx;
create index orders_created_idx on orders (created_at desc, id desc);
-- also serves every lookup by state alone (the pipeline's, the sweeper's), as orders_state_idx did
drop index orders_state_idx;
create index orders_state_created_idx on orders (state, created_at desc, id desc);
drop index alerts_opened_idx;
create index alerts_opened_idx on alerts (opened_at desc, id desc);
create index outbox_emails_created_idx on outbox_emails (created_at desc, id desc);

-- Who acted: 'console' (a signed-in session) or 'api' (the admin token). Null on entries written before it was kept.
alter table admin_audit_log add column actor text check (actor in ('console', 'api'));
create index admin_audit_log_action_idx on admin_audit_log (action, id desc);
